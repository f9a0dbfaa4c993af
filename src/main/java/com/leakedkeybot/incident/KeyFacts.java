package com.leakedkeybot.incident;

import com.leakedkeybot.key.AccessKeyId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the bot learnt about the reported key. Fields the lookups could not establish are null and explained in
 * {@code lookupProblems}, so the thread says honestly what is unknown.
 *
 * @param decodedAccount account decoded offline from the key id (empty for old ids)
 * @param confirmedAccount account named by sts:GetAccessKeyInfo
 * @param ownAccount the account the bot runs in
 * @param accountName the key's account's name in the organization, when the bot may read it; else null
 * @param responderRole the role the bot assumed (or failed to assume) in the key's account, when that is not its
 *                      own: every AWS call of the incident is made as this role. Null for the bot's own account
 *                      (and for incidents recorded before the bot reached other accounts)
 */
public record KeyFacts(
        AccessKeyId keyId,
        Optional<String> decodedAccount,
        String confirmedAccount,
        String ownAccount,
        String accountName,
        String responderRole,
        KeyOwnership ownership,
        String userName,
        String status,
        Instant createdAt,
        LastUse lastUse,
        List<String> lookupProblems) {

    public KeyFacts {
        lookupProblems = List.copyOf(lookupProblems);
    }

    /** @param at null when the key was never used */
    public record LastUse(Instant at, String service, String region) {
        public boolean never() {
            return at == null;
        }
    }

    /** The account to name in the thread: STS's answer where it came, else the offline decoding. */
    public Optional<String> account() {
        return Optional.ofNullable(confirmedAccount).or(() -> decodedAccount);
    }

    /** The member account the incident is handled in, through {@link #responderRole}; empty for the bot's own. */
    public Optional<String> memberAccount() {
        return responderRole == null ? Optional.empty() : account();
    }

    /** The account the bot acts in for this key: the member account, else its own (null when it could not tell). */
    public String actingAccount() {
        return memberAccount().orElse(ownAccount);
    }

    public boolean decodedDisagreesWithSts() {
        return confirmedAccount != null && decodedAccount.isPresent() && !decodedAccount.get().equals(confirmedAccount);
    }
}
