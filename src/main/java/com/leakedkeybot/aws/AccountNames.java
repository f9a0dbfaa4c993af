package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accounts' names in the organization ({@code organizations:DescribeAccount}), cached: they are shown in threads, and
 * rarely change. Only the management account or a delegated administrator may ask; anywhere else the first refusal
 * is logged once and the bot names accounts by id from then on (until it restarts).
 */
public final class AccountNames {

    private static final Logger LOG = LoggerFactory.getLogger(AccountNames.class);

    private final Function<String, Optional<String>> describe;
    private final Map<String, Optional<String>> known = new ConcurrentHashMap<>();
    private volatile boolean refused;

    /** @param describe the account's name, throwing {@link AwsActionFailure} when Organizations will not say */
    public AccountNames(Function<String, Optional<String>> describe) {
        this.describe = describe;
    }

    /** For a bot that names accounts by id only. */
    public static AccountNames none() {
        return new AccountNames(account -> Optional.empty());
    }

    /** The account's name, or null when Organizations does not (or may not) say. */
    public String nameOf(String account) {
        if (refused) {
            return null;
        }
        Optional<String> cached = known.get(account);
        if (cached != null) {
            return cached.orElse(null);
        }
        try {
            Optional<String> name = describe.apply(account);
            known.put(account, name);
            return name.orElse(null);
        } catch (AwsActionFailure failure) {
            if (failure.getMessage().contains("AccountNotFoundException")) {
                known.put(account, Optional.empty()); // not in the organization: named by id
            } else {
                refused = true; // not allowed, no organization, or unreachable: not asked again until a restart
                LOG.info("Accounts are named by id from now on: {}", failure.getMessage());
            }
            return null;
        }
    }
}
