package com.leakedkeybot.remediation;

import com.leakedkeybot.incident.Incident;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/** Which {@link Responder} handles an incident: the one of the account its facts name. */
@FunctionalInterface
public interface Responders {

    Responder of(Incident incident);

    /** One account only. */
    static Responders only(Responder responder) {
        return incident -> responder;
    }

    /**
     * The bot's own account's responder, or, for an incident of a member account ({@code KeyFacts#memberAccount}),
     * that account's, built once per account on first use.
     */
    static Responders byAccount(Responder own, Function<String, Responder> member) {
        Map<String, Responder> members = new ConcurrentHashMap<>();
        return incident -> incident.facts() == null ? own
                : incident.facts().memberAccount().map(account -> members.computeIfAbsent(account, member)).orElse(own);
    }
}
