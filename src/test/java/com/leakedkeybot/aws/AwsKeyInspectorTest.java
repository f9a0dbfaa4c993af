package com.leakedkeybot.aws;

import com.leakedkeybot.config.MemberAccess;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.SharedMoto;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;


/** Ownership decisions: against moto where moto can play the part, with mocks where it cannot (root, foreign). */
class AwsKeyInspectorTest {

    private static final AccessKeyId OLD_KEY = new AccessKeyId("AKIAIOSFODNN7EXAMPLE");

    /** A member account of this test class only: the shared moto serves other classes at the same time. */
    private static final String MEMBER = "210000000013";

    private static AwsKeyInspector onMoto() {
        return onMoto(Set.of());
    }

    /** @param allowed {@code ACCOUNTS}: empty allows every account */
    private static AwsKeyInspector onMoto(Set<String> allowed) {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        StsClient sts = AwsTestClients.sts(moto.endpoint());
        KeyAccountLookup accounts = new KeyAccountLookup(sts);
        MemberAccounts members = new MemberAccounts(AwsTarget.at(moto.endpoint(), "us-east-1", "testing", "testing"),
                sts, new MemberAccess(MemberAccess.DEFAULT_ROLE_NAME, Optional.empty(), allowed), accounts::self, 50);
        return new AwsKeyInspector(accounts, new KeyOwnerLookup(iam), new IamAccessKeys(iam), members,
                AccountNames.none());
    }

    /** Only the bot's own account is allowed: any other is refused before anything is asked of it. */
    private static MemberAccounts ownOnly() {
        return new MemberAccounts(AwsTarget.defaultChain(), mock(StsClient.class),
                new MemberAccess(MemberAccess.DEFAULT_ROLE_NAME, Optional.empty(), Set.of("123456789012")),
                () -> BotPrincipal.ofCaller("123456789012", "arn:aws:iam::123456789012:user/bot"), 1);
    }

    @Test
    void aKeyOfAMemberAccountIsLookedUpThereAsTheResponderRole() {
        URI endpoint = SharedMoto.get().endpoint();
        IamClient member = AwsTestClients.iamIn(endpoint, MEMBER);
        member.createUser(r -> r.userName("member-dev"));
        String keyId = member.createAccessKey(r -> r.userName("member-dev")).accessKey().accessKeyId();
        member.updateAccessKey(r -> r.userName("member-dev").accessKeyId(keyId).status("Inactive"));

        KeyFacts facts = onMoto().inspect(new AccessKeyId(keyId));

        assertEquals(KeyOwnership.IAM_USER, facts.ownership());
        assertEquals("member-dev", facts.userName());
        // The status only the member account's IAM holds: the bot's own account has no such user.
        assertEquals("Inactive", facts.status());
        assertEquals(Optional.of(MEMBER), facts.memberAccount());
        assertEquals("arn:aws:iam::" + MEMBER + ":role/LeakedKeyBotResponder", facts.responderRole());
        assertEquals("123456789012", facts.ownAccount());
    }

    @Test
    void aMemberAccountOutsideAccountsIsRefusedWithoutAssumingItsRole() {
        IamClient member = AwsTestClients.iamIn(SharedMoto.get().endpoint(), MEMBER);
        member.createUser(r -> r.userName("member-refused"));
        String keyId = member.createAccessKey(r -> r.userName("member-refused")).accessKey().accessKeyId();

        KeyFacts facts = onMoto(Set.of("123456789012")).inspect(new AccessKeyId(keyId));

        assertEquals(KeyOwnership.FOREIGN_ACCOUNT, facts.ownership());
        assertEquals(Optional.of(MEMBER), facts.account());
        assertNull(facts.userName());
        assertEquals(Optional.empty(), facts.memberAccount());
    }

    @Test
    void aRoleThatCannotBeAssumedIsNamedWithAwsReason() {
        AccessKeyId key = new AccessKeyId("AKIAY34FZKBOKMUTVV7A"); // decodes to 609629065308
        KeyAccountLookup accounts = mock(KeyAccountLookup.class);
        when(accounts.accountOf(key)).thenReturn("609629065308");
        when(accounts.ownAccount()).thenReturn("123456789012");
        MemberAccounts members = mock(MemberAccounts.class);
        when(members.allows("609629065308")).thenReturn(true);
        when(members.roleArn("609629065308")).thenReturn("arn:aws:iam::609629065308:role/LeakedKeyBotResponder");
        when(members.reach("609629065308")).thenThrow(new AwsActionFailure(AwsActionFailure.Kind.ACCESS_DENIED,
                "sts:AssumeRole on arn:aws:iam::609629065308:role/LeakedKeyBotResponder", "AccessDenied — not trusted"));
        KeyOwnerLookup owners = mock(KeyOwnerLookup.class);

        KeyFacts facts = new AwsKeyInspector(accounts, owners, mock(IamAccessKeys.class), members, AccountNames.none())
                .inspect(key);

        assertEquals(KeyOwnership.ACCOUNT_UNREACHABLE, facts.ownership());
        assertEquals("arn:aws:iam::609629065308:role/LeakedKeyBotResponder", facts.responderRole());
        assertEquals(List.of("sts:AssumeRole on arn:aws:iam::609629065308:role/LeakedKeyBotResponder: AccessDenied — "
                + "not trusted"), facts.lookupProblems());
        org.mockito.Mockito.verifyNoInteractions(owners);
    }

    @Test
    void anIamUsersKeyHasOwnerStatusAndCreationDate() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        iam.createUser(r -> r.userName("inspector-owner"));
        var created = iam.createAccessKey(r -> r.userName("inspector-owner")).accessKey();

        KeyFacts facts = onMoto().inspect(new AccessKeyId(created.accessKeyId()));

        assertEquals(KeyOwnership.IAM_USER, facts.ownership());
        assertEquals("inspector-owner", facts.userName());
        assertEquals("Active", facts.status());
        assertEquals(created.createDate().getEpochSecond(), facts.createdAt().getEpochSecond());
        assertEquals("123456789012", facts.confirmedAccount());
        assertTrue(facts.lastUse().never());
        assertTrue(facts.lookupProblems().isEmpty(), facts.lookupProblems().toString());
    }

    @Test
    void aKeyNobodyOwnsIsNotFoundAndSaysWhy() {
        KeyFacts facts = onMoto().inspect(OLD_KEY);
        assertEquals(KeyOwnership.NOT_FOUND, facts.ownership());
        assertTrue(facts.lookupProblems().get(0).startsWith("iam:GetAccessKeyLastUsed: NoSuchEntity"), facts.lookupProblems().toString());
    }

    @Test
    void aKeyOfAnAccountOutsideAccountsIsForeignAndIamIsNotAsked() {
        KeyAccountLookup accounts = mock(KeyAccountLookup.class);
        KeyOwnerLookup owners = mock(KeyOwnerLookup.class);
        when(accounts.accountOf(OLD_KEY)).thenReturn("999999999999");
        when(accounts.ownAccount()).thenReturn("123456789012");

        KeyFacts facts = new AwsKeyInspector(accounts, owners, mock(IamAccessKeys.class), ownOnly(), AccountNames.none())
                .inspect(OLD_KEY);

        assertEquals(KeyOwnership.FOREIGN_ACCOUNT, facts.ownership());
        assertEquals(Optional.of("999999999999"), facts.account());
        org.mockito.Mockito.verifyNoInteractions(owners);
    }

    @Test
    void whenStsFailsTheDecodedAccountDecides() {
        AccessKeyId modern = new AccessKeyId("AKIAY34FZKBOKMUTVV7A"); // decodes to 609629065308
        KeyAccountLookup accounts = mock(KeyAccountLookup.class);
        when(accounts.accountOf(modern)).thenThrow(new AwsActionFailure(AwsActionFailure.Kind.ACCESS_DENIED,
                "sts:GetAccessKeyInfo", "AccessDenied — no"));
        when(accounts.ownAccount()).thenReturn("123456789012");

        KeyFacts facts = new AwsKeyInspector(accounts, mock(KeyOwnerLookup.class), mock(IamAccessKeys.class), ownOnly(),
                AccountNames.none()).inspect(modern);

        assertEquals(KeyOwnership.FOREIGN_ACCOUNT, facts.ownership());
        assertNull(facts.confirmedAccount());
        assertEquals("sts:GetAccessKeyInfo: AccessDenied — no", facts.lookupProblems().get(0));
    }

    @Test
    void aRootKeyIsRecognisedEvenThoughRootIsALegalUserName() {
        KeyAccountLookup accounts = mock(KeyAccountLookup.class);
        KeyOwnerLookup owners = mock(KeyOwnerLookup.class);
        IamAccessKeys keys = mock(IamAccessKeys.class);
        when(accounts.accountOf(OLD_KEY)).thenReturn("123456789012");
        when(accounts.ownAccount()).thenReturn("123456789012");
        when(owners.ownerOf(OLD_KEY)).thenReturn(new KeyOwnerLookup.Owner("root", new KeyFacts.LastUse(null, null, null)));
        when(keys.describe("root", OLD_KEY)).thenThrow(new AwsActionFailure(AwsActionFailure.Kind.NOT_FOUND,
                "iam:ListAccessKeys", "NoSuchEntity — no user root"));

        KeyFacts facts = new AwsKeyInspector(accounts, owners, keys, ownOnly(), AccountNames.none()).inspect(OLD_KEY);

        assertEquals(KeyOwnership.ROOT_USER, facts.ownership());
        assertNull(facts.userName());
    }

    @Test
    void anIamUserNamedRootIsStillAnIamUser() {
        IamClient iam = AwsTestClients.iam(SharedMoto.get().endpoint());
        iam.createUser(r -> r.userName("root"));
        String keyId = iam.createAccessKey(r -> r.userName("root")).accessKey().accessKeyId();

        KeyFacts facts = onMoto().inspect(new AccessKeyId(keyId));

        assertEquals(KeyOwnership.IAM_USER, facts.ownership());
        assertEquals("root", facts.userName());
    }
}
