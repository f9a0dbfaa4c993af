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
 * date and last use. Each lookup that fails is recorded as a problem instead of failing the whole incident. A key of
 * another account is looked up there, as the responder role, when the bot may act in that account.
 */
public final class AwsKeyInspector implements KeyInspector {

    private final KeyAccountLookup accounts;
    private final KeyOwnerLookup owners;
    private final IamAccessKeys keys;
    private final MemberAccounts members;
    private final AccountNames names;

    /** @param owners and {@code keys}: the bot's own account's */
    public AwsKeyInspector(KeyAccountLookup accounts, KeyOwnerLookup owners, IamAccessKeys keys,
                           MemberAccounts members, AccountNames names) {
        this.accounts = accounts;
        this.owners = owners;
        this.keys = keys;
        this.members = members;
        this.names = names;
    }

    @Override
    public KeyFacts inspect(AccessKeyId keyId) {
        List<String> problems = new ArrayList<>();
        Optional<String> decoded = keyId.encodedAccountId();
        String confirmed = attempt(() -> accounts.accountOf(keyId), problems);
        String own = attempt(accounts::ownAccount, problems);
        String keyAccount = confirmed != null ? confirmed : decoded.orElse(null);
        Facts facts = new Facts(keyId, decoded, confirmed, own, keyAccount == null ? null : names.nameOf(keyAccount),
                null, problems);
        if (own == null || keyAccount == null || own.equals(keyAccount)) {
            return identify(facts, owners, keys);
        }
        if (!members.allows(keyAccount)) {
            return facts.with(KeyOwnership.FOREIGN_ACCOUNT);
        }
        Facts inMember = facts.as(members.roleArn(keyAccount));
        MemberAccounts.Account member;
        try {
            member = members.reach(keyAccount);
        } catch (AwsActionFailure failure) {
            problems.add(failure.getMessage());
            return inMember.with(KeyOwnership.ACCOUNT_UNREACHABLE);
        }
        return identify(inMember, new KeyOwnerLookup(member.clients().iam()), new IamAccessKeys(member.clients().iam()));
    }

    /** Who owns the key, in the account {@code owners} and {@code keys} read. */
    private static KeyFacts identify(Facts facts, KeyOwnerLookup owners, IamAccessKeys keys) {
        AccessKeyId keyId = facts.keyId();
        List<String> problems = facts.problems();
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
    private record Facts(AccessKeyId keyId, Optional<String> decoded, String confirmed, String own, String name,
                         String role, List<String> problems) {

        Facts as(String responderRole) {
            return new Facts(keyId, decoded, confirmed, own, name, responderRole, problems);
        }

        KeyFacts with(KeyOwnership ownership) {
            return withOwner(ownership, null, null, null);
        }

        KeyFacts withOwner(KeyOwnership ownership, String user, KeyFacts.LastUse lastUse, AccessKeyMetadata key) {
            return new KeyFacts(keyId, decoded, confirmed, own, name, role, ownership, user,
                    key == null ? null : key.statusAsString(), key == null ? null : key.createDate(),
                    lastUse, problems);
        }
    }
}
