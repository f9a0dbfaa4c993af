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
 */
public record KeyFacts(
        AccessKeyId keyId,
        Optional<String> decodedAccount,
        String confirmedAccount,
        String ownAccount,
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

    public boolean decodedDisagreesWithSts() {
        return confirmedAccount != null && decodedAccount.isPresent() && !decodedAccount.get().equals(confirmedAccount);
    }
}
