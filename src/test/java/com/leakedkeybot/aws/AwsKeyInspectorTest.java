package com.leakedkeybot.aws;

import com.leakedkeybot.testkit.SharedMoto;
import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.sandbox.MotoServer;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;


/** Ownership decisions: against moto where moto can play the part, with mocks where it cannot (root, foreign). */
class AwsKeyInspectorTest {

    private static final AccessKeyId OLD_KEY = new AccessKeyId("AKIAIOSFODNN7EXAMPLE");

    private static AwsKeyInspector onMoto() {
        MotoServer moto = SharedMoto.get();
        IamClient iam = AwsTestClients.iam(moto.endpoint());
        return new AwsKeyInspector(new KeyAccountLookup(AwsTestClients.sts(moto.endpoint())), new KeyOwnerLookup(iam),
                new IamAccessKeys(iam));
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
    void aKeyOfAnotherAccountIsForeignAndIamIsNotAsked() {
        KeyAccountLookup accounts = mock(KeyAccountLookup.class);
        KeyOwnerLookup owners = mock(KeyOwnerLookup.class);
        when(accounts.accountOf(OLD_KEY)).thenReturn("999999999999");
        when(accounts.ownAccount()).thenReturn("123456789012");

        KeyFacts facts = new AwsKeyInspector(accounts, owners, mock(IamAccessKeys.class)).inspect(OLD_KEY);

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

        KeyFacts facts = new AwsKeyInspector(accounts, mock(KeyOwnerLookup.class), mock(IamAccessKeys.class)).inspect(modern);

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

        KeyFacts facts = new AwsKeyInspector(accounts, owners, keys).inspect(OLD_KEY);

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
