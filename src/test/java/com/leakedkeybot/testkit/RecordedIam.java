package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * An IAM client at the shared moto for the code under test, whose every call {@link #aws()} records. The test's
 * own set-up and read-back use another client, so they are not counted.
 */
public record RecordedIam(IamClient iam, AwsProxy aws) implements AutoCloseable {

    public static RecordedIam atSharedMoto() {
        AwsProxy aws = AwsProxy.start(SharedMoto.get().endpoint());
        return new RecordedIam(AwsTestClients.iam(aws.endpoint()), aws);
    }

    @Override
    public void close() {
        iam.close();
        aws.close();
    }
}
