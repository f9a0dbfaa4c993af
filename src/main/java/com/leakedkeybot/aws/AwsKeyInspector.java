package com.leakedkeybot.aws;

import com.leakedkeybot.incident.KeyFacts;
import com.leakedkeybot.incident.KeyInspector;
import com.leakedkeybot.incident.KeyOwnership;
import com.leakedkeybot.key.AccessKeyId;
import com.leakedkeybot.key.KeyKind;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * Establishes the facts of a reported key: account (decoded offline, confirmed by STS), owner, status, creation
 * date and last use. Each lookup that fails is recorded as a problem instead of failing the whole incident.
 */
public final class AwsKeyInspector implements KeyInspector {

    private final KeyAccountLookup accounts;
    private final KeyOwnerLookup owners;
    private final IamAccessKeys keys;

    public AwsKeyInspector(KeyAccountLookup accounts, KeyOwnerLookup owners, IamAccessKeys keys) {
        this.accounts = accounts;
        this.owners = owners;
        this.keys = keys;
    }

    @Override
    public KeyFacts inspect(AccessKeyId keyId) {
        List<String> problems = new ArrayList<>();
        Optional<String> decoded = keyId.encodedAccountId();
        String confirmed = attempt(() -> accounts.accountOf(keyId), problems);
        String own = attempt(accounts::ownAccount, problems);
        String keyAccount = confirmed != null ? confirmed : decoded.orElse(null);
        Facts facts = new Facts(keyId, decoded, confirmed, own, problems);

        if (own != null && keyAccount != null && !own.equals(keyAccount)) {
            return facts.with(KeyOwnership.FOREIGN_ACCOUNT);
        }
        if (keyId.kind() == KeyKind.TEMPORARY) {
            return facts.with(KeyOwnership.TEMPORARY_CREDENTIAL);
        }
        KeyOwnerLookup.Owner owner;
        try {
            owner = owners.ownerOf(keyId);
        } catch (AwsActionFailure failure) {
            problems.add(failure.getMessage());
            return facts.with(failure.kind() == AwsActionFailure.Kind.NOT_FOUND
                    ? KeyOwnership.NOT_FOUND : KeyOwnership.UNVERIFIED);
        }
        if (owner.userName() == null) {
            return facts.withOwner(KeyOwnership.ROOT_USER, null, owner.lastUse(), null);
        }
        Optional<AccessKeyMetadata> listed;
        try {
            listed = keys.describe(owner.userName(), keyId);
        } catch (AwsActionFailure failure) {
            if (KeyOwnerLookup.ROOT_OWNER.equals(owner.userName()) && failure.kind() == AwsActionFailure.Kind.NOT_FOUND) {
                return facts.withOwner(KeyOwnership.ROOT_USER, null, owner.lastUse(), null);
            }
            problems.add(failure.getMessage());
            return facts.withOwner(KeyOwnership.IAM_USER, owner.userName(), owner.lastUse(), null);
        }
        if (listed.isEmpty() && KeyOwnerLookup.ROOT_OWNER.equals(owner.userName())) {
            return facts.withOwner(KeyOwnership.ROOT_USER, null, owner.lastUse(), null);
        }
        return facts.withOwner(KeyOwnership.IAM_USER, owner.userName(), owner.lastUse(), listed.orElse(null));
    }

    private static String attempt(java.util.function.Supplier<String> lookup, List<String> problems) {
        try {
            return lookup.get();
        } catch (AwsActionFailure failure) {
            problems.add(failure.getMessage());
            return null;
        }
    }

    /** The account part of the facts, shared by every outcome. */
    private record Facts(AccessKeyId keyId, Optional<String> decoded, String confirmed, String own,
                         List<String> problems) {

        KeyFacts with(KeyOwnership ownership) {
            return withOwner(ownership, null, null, null);
        }

        KeyFacts withOwner(KeyOwnership ownership, String user, KeyFacts.LastUse lastUse, AccessKeyMetadata key) {
            return new KeyFacts(keyId, decoded, confirmed, own, ownership, user,
                    key == null ? null : key.statusAsString(), key == null ? null : key.createDate(),
                    lastUse, problems);
        }
    }
}
