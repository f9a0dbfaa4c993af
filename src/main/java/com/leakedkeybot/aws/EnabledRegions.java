package com.leakedkeybot.aws;

import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.investigation.TrailLookupException;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Region;

/** The regions enabled in the account (ec2:DescribeRegions without opt-in regions that are not enabled). */
public final class EnabledRegions implements RegionSource {

    private final Ec2Client ec2;

    public EnabledRegions(Ec2Client ec2) {
        this.ec2 = ec2;
    }

    @Override
    public List<String> regions() throws TrailLookupException {
        try {
            return ec2.describeRegions(request -> request.allRegions(false)).regions().stream()
                    .map(Region::regionName).sorted().toList();
        } catch (SdkException e) {
            throw new TrailLookupException("Could not list the enabled regions: " + FailureReason.of(e), e);
        }
    }
}
