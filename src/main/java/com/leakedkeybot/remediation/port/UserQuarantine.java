package com.leakedkeybot.remediation.port;

import java.util.List;

/** Which policies are on an IAM user, and attaching AWS's quarantine policy to it or detaching it. */
public interface UserQuarantine {

    List<String> attachedPolicyArns(String userName);

    List<String> inlinePolicyNames(String userName);

    void attach(String userName, String policyArn);

    void detach(String userName, String policyArn);
}
