package com.leakedkeybot.slack.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MrkdwnTest {

    @Test
    void escapesAmpersandFirstThenAngleBrackets() {
        assertEquals("&amp;lt; &lt;!channel&gt; &lt;http://x|y&gt; a&amp;b", Mrkdwn.escape("&lt; <!channel> <http://x|y> a&b"));
    }

    @Test
    void nullBecomesEmpty() {
        assertEquals("", Mrkdwn.escape(null));
    }

    @Test
    void codeSpansCannotBeClosedEarly() {
        assertEquals("`a'b &lt;c&gt;`", Mrkdwn.code("a`b <c>"));
    }

    @Test
    void onlyRealUserIdsBecomeMentions() {
        assertEquals("<@U0123ABC>", Mrkdwn.user("U0123ABC"));
        assertEquals("&lt;!here&gt;", Mrkdwn.user("<!here>"));
    }
}
