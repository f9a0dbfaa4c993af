package com.leakedkeybot.aws;

import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/** Terminates an instance the attacker started, in the region CloudTrail saw it in. */
final class InstanceTermination {

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

    /** Running or on its way: anything but shutting-down or terminated still costs and still acts. */
    boolean running(String region, String instanceId) {
        try {
            return ec2InRegion.apply(region).describeInstances(r -> r.instanceIds(instanceId)).reservations().stream()
                    .flatMap(res -> res.instances().stream())
                    .anyMatch(i -> i.state().name() != InstanceStateName.TERMINATED
                            && i.state().name() != InstanceStateName.SHUTTING_DOWN);
        } catch (SdkException e) {
            throw AwsFailures.of("ec2:DescribeInstances", e);
        }
    }
}
