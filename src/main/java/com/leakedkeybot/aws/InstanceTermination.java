package com.leakedkeybot.aws;

import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** Terminates an instance the attacker started, in the region CloudTrail saw it in. */
final class InstanceTermination {

    private static final String UNKNOWN_ID = "InvalidInstanceID.NotFound";

    private final Function<String, Ec2Client> ec2InRegion;

    InstanceTermination(Function<String, Ec2Client> ec2InRegion) {
        this.ec2InRegion = ec2InRegion;
    }

    void terminate(String region, String instanceId) {
        try {
            ec2InRegion.apply(region).terminateInstances(r -> r.instanceIds(instanceId));
        } catch (SdkException e) {
            throw AwsFailures.of("ec2:TerminateInstances", e);
        }
    }

    /**
     * Running or on its way: anything but shutting-down or terminated still costs and still acts. EC2 forgets a
     * terminated instance after about an hour, and then answers its id with an error rather than an empty list.
     */
    boolean running(String region, String instanceId) {
        try {
            return ec2InRegion.apply(region).describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(res -> res.instances().stream())
                    .anyMatch(i -> i.state().name() != InstanceStateName.TERMINATED
                            && i.state().name() != InstanceStateName.SHUTTING_DOWN);
        } catch (Ec2Exception e) {
            if (e.awsErrorDetails() != null && UNKNOWN_ID.equals(e.awsErrorDetails().errorCode())) {
                return false;
            }
            throw AwsFailures.of("ec2:DescribeInstances", e);
        } catch (SdkException e) {
            throw AwsFailures.of("ec2:DescribeInstances", e);
        }
    }
}
