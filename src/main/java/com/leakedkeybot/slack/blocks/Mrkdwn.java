package com.leakedkeybot.slack.blocks;

/** Slack mrkdwn escaping for any text that comes from users or AWS, so it cannot inject mentions or links. */
public final class Mrkdwn {

    private Mrkdwn() {
    }

    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        // & first, or the other two escapes would be escaped again.
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Inline code for identifiers (key ids, user names, ARNs); backticks inside would end the span early. */
    public static String code(String text) {
        return "`" + escape(text).replace("`", "'") + "`";
    }

    public static String user(String userId) {
        return userId != null && userId.matches("[UW][A-Z0-9]{2,}") ? "<@" + userId + ">" : escape(userId);
    }
}
