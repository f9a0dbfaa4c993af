package com.leakedkeybot.blastradius;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** IAM's wildcards, which the policy tests rely on to say which ARNs a Resource reaches. */
class IamWildcardsTest {

    private static boolean matches(String pattern, String value) {
        return IamWildcards.regex(pattern).matcher(value).matches();
    }

    @Test
    void aStarSpansSlashesAndColonsSoABucketPatternAlsoReachesEveryObject() {
        assertTrue(matches("arn:aws:s3:::*", "arn:aws:s3:::finance"));
        assertTrue(matches("arn:aws:s3:::*", "arn:aws:s3:::finance/2026/ledger.csv"));
        assertTrue(matches("arn:aws:s3:::*/AWSLogs/*", "arn:aws:s3:::logs/org/AWSLogs/123456789012/CloudTrail/x.gz"));
        assertFalse(matches("arn:aws:s3:::*/*", "arn:aws:s3:::finance"), "an object pattern needs the slash");
        assertTrue(matches("arn:aws:iam::*:role/*/LeakedKeyBot*", "arn:aws:iam::123456789012:role/a/b/LeakedKeyBotX"));
        assertFalse(matches("arn:aws:iam::*:role/LeakedKeyBot*", "arn:aws:iam::123456789012:role/ops/LeakedKeyBot"),
                "a role's path is part of its ARN");
    }

    @Test
    void aQuestionMarkIsOneCharacterAndEverythingElseIsLiteralAndCaseSensitive() {
        assertTrue(matches("arn:aws:iam::?:user/a", "arn:aws:iam::1:user/a"));
        assertFalse(matches("arn:aws:iam::?:user/a", "arn:aws:iam:::user/a"));
        assertFalse(matches("arn:aws:iam::*:user/a.b", "arn:aws:iam::1:user/aXb"), "a dot is a dot");
        assertFalse(matches("arn:aws:iam::*:user/a+", "arn:aws:iam::1:user/aa"), "a plus is a plus");
        assertFalse(matches("arn:aws:iam::*:role/LeakedKeyBot*", "arn:aws:iam::1:role/leakedkeybot"));
    }
}
