package com.leakedkeybot.aws;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.config.MemberAccess;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AccessKeyControl;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;

/** Member accounts' clients: one set per account, kept, and AssumeRole made once for many calls. */
class MemberAccountsTest {

    private static final String MEMBER = "210000000101";
    private static final String GONE = "210000000102";

    @Test
    void eachAccountHasOneSetOfClientsWhoseSessionIsReused() throws Exception {
        try (AwsProxy proxy = AwsProxy.start(SharedMoto.get().endpoint());
             StsClient sts = AwsTestClients.sts(proxy.endpoint());
             MemberAccounts members = members(proxy, sts)) {
            IamClient admin = AwsTestClients.iamIn(SharedMoto.get().endpoint(), MEMBER);
            admin.createUser(r -> r.userName("member-accounts-test"));
            String keyId = admin.createAccessKey(r -> r.userName("member-accounts-test")).accessKey().accessKeyId();

            MemberAccounts.Account account = members.reach(MEMBER);
            assertSame(account, members.account(MEMBER));
            IamAccessKeys keys = new IamAccessKeys(account.clients().iam());
            keys.setStatus("member-accounts-test", new AccessKeyId(keyId), AccessKeyControl.Status.INACTIVE);
            keys.status("member-accounts-test", new AccessKeyId(keyId));

            assertEquals(1, proxy.count("sts:AssumeRole", MEMBER), "the SDK's provider caches the session");
            assertEquals("Inactive", admin.listAccessKeys(r -> r.userName("member-accounts-test"))
                    .accessKeyMetadata().get(0).statusAsString(), "changed in the member account");
        }
    }

    @Test
    void aRoleThatCannotBeAssumedIsWhatAStepsFailureNames() throws Exception {
        try (AwsProxy proxy = AwsProxy.start(SharedMoto.get().endpoint());
             StsClient sts = AwsTestClients.sts(proxy.endpoint());
             MemberAccounts members = members(proxy, sts)) {
            proxy.refuse("sts:AssumeRole", GONE, 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/"
                    + "2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not authorized to "
                    + "perform: sts:AssumeRole</Message></Error><RequestId>1</RequestId></ErrorResponse>");
            IamAccessKeys keys = new IamAccessKeys(members.account(GONE).clients().iam());

            AwsActionFailure failure = assertThrows(AwsActionFailure.class, () -> keys.setStatus("anyone",
                    new AccessKeyId("AKIAY34FZKBOKMUTVV7A"), AccessKeyControl.Status.INACTIVE));

            assertTrue(failure.action().startsWith("sts:AssumeRole into the member account's responder role (needed "
                    + "for iam:UpdateAccessKey"), failure.action());
            assertEquals(AwsActionFailure.Kind.ACCESS_DENIED, failure.kind());
            assertEquals(0, proxy.count("iam:UpdateAccessKey"), "nothing reached IAM");
        }
    }

    private static MemberAccounts members(AwsProxy proxy, StsClient sts) {
        return new MemberAccounts(AwsTarget.at(proxy.endpoint(), "us-east-1", "testing", "testing"), sts,
                new MemberAccess(MemberAccess.DEFAULT_ROLE_NAME, Optional.empty(), Set.of()),
                () -> BotPrincipal.ofCaller("123456789012", "arn:aws:iam::123456789012:user/bot"), 10);
    }
}
