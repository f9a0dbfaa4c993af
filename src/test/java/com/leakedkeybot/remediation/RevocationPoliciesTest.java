package com.leakedkeybot.remediation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class RevocationPoliciesTest {

    private static final Instant APPROVED = Instant.parse("2026-11-28T15:04:05.678Z");

    @Test
    void theUserPolicyDeniesOlderTokensAndFederatedSessionsWithinIamsLimit() {
        String document = RevocationPolicies.user(APPROVED);

        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Sid\":\"RevokeSessionsIssuedBeforeApproval\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T15:04:05Z\"}}},"
                + "{\"Sid\":\"RevokeFederatedUserSessions\",\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"aws:PrincipalType\":\"FederatedUser\"}}}]}", document);
        assertTrue(document.length() <= RevocationPolicies.USER_LIMIT);
    }

    @Test
    void aRolePolicyNamesOnlyTheAttackersSessionsAndNamesCannotBreakOut() {
        String document = RevocationPolicies.roleSessions("AROAEXAMPLE", List.of("b\"},\"Effect\":\"Allow", "a"),
                APPROVED);

        assertTrue(document.contains("\"aws:userid\":[\"AROAEXAMPLE:a\",\"AROAEXAMPLE:b\\\"},\\\"Effect\\\":\\\"Allow\"]"),
                document);
        assertFalse(document.contains("\"Effect\":\"Allow\""), document);
    }

    @Test
    void aRolePolicyDeniesTheAttackersSessionNamesOnlyForTokensIssuedBeforeTheApproval() {
        assertEquals("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"RevokeAttackerSessionsIssuedBeforeApproval\","
                + "\"Effect\":\"Deny\",\"Action\":\"*\",\"Resource\":\"*\",\"Condition\":{"
                + "\"StringLike\":{\"aws:userid\":[\"AROAEXAMPLE:ci-deploy\"]},"
                + "\"DateLessThan\":{\"aws:TokenIssueTime\":\"2026-11-28T15:04:05Z\"}}}]}",
                RevocationPolicies.roleSessions("AROAEXAMPLE", List.of("ci-deploy"), APPROVED),
                "both conditions in one statement: a session named ci-deploy started after the approval is let through");
    }

    @Test
    void tooManySessionsForOneRolePolicyAreRefusedRatherThanTruncated() {
        List<String> many = Collections.nCopies(600, "session-name-of-some-length");
        assertThrows(IllegalArgumentException.class, () -> RevocationPolicies.roleSessions("AROAEXAMPLE",
                many.stream().map(s -> s + many.indexOf(s) + Math.random()).toList(), APPROVED));
    }

    @Test
    void documentsCompareByContentNotLayout() {
        String document = RevocationPolicies.roleOlderSessions(APPROVED);
        assertTrue(RevocationPolicies.same(document, document.replace(",", ",\n  ")));
        assertFalse(RevocationPolicies.same(document, RevocationPolicies.roleOlderSessions(APPROVED.plusSeconds(1))));
        assertFalse(RevocationPolicies.same(document, "not json"));
    }
}
