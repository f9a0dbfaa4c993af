package com.leakedkeybot.blastradius;

import java.util.List;

/**
 * A permission the owner holds that attackers use first.
 *
 * @param grant       what is granted, e.g. {@code iam:PassRole} or {@code IAM writes}
 * @param why         what an attacker does with it
 * @param actions     the granted actions it covers (at most ten named)
 * @param actionCount how many granted actions it covers
 * @param resources   the Resource values of the granting statements, e.g. {@code *}
 */
public record RiskyGrant(String grant, String why, List<String> actions, int actionCount, List<String> resources) {
}
