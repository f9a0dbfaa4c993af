package com.leakedkeybot.blastradius;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.reference.PackagedResource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The policies AWS puts on a user whose key leaked, packaged from iann0036/iam-dataset (see {@code iam/PROVENANCE.md}),
 * and what each leaves open: quarantine is not containment.
 */
public final class QuarantinePolicies {

    public static final String MANAGED_ARN_PREFIX = "arn:aws:iam::aws:policy/AWSCompromisedKeyQuarantine";
    /** The inline policy AWS used before the managed ones (until about 2021). */
    public static final String LEGACY_INLINE_NAME = "AWSExposedCredentialPolicy_DO_NOT_REMOVE";
    private static final List<String> PACKAGED =
            List.of("AWSCompromisedKeyQuarantine", "AWSCompromisedKeyQuarantineV2", "AWSCompromisedKeyQuarantineV3");
    // What attackers do with leaked keys; the ones a quarantine does not deny are worth saying out loud.
    private static final List<String> WATCHED = List.of(
            "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue", "ssm:GetParameter*",
            "s3:GetObject", "s3:PutObject", "s3:DeleteObject", "dynamodb:*", "kms:Decrypt", "sts:AssumeRole",
            "iam:CreateAccessKey", "iam:CreateUser", "iam:AttachUserPolicy", "iam:DeleteUserPolicy",
            "ec2:RunInstances", "ec2:CreateSnapshot", "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute",
            "ec2:AuthorizeSecurityGroupIngress", "lambda:CreateFunction", "lambda:UpdateFunctionCode",
            "lambda:InvokeFunction", "cloudtrail:StopLogging", "cloudtrail:DeleteTrail",
            "organizations:LeaveOrganization", "sqs:*", "sns:Publish", "ses:SendEmail", "ses:SendRawEmail");

    // Quarantine policies only deny: set against "allow everything", what survives is what they leave open.
    private static final PolicyDocument ALLOW_EVERYTHING = PolicyDocument.parse("allow everything", null,
            "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"*\",\"Resource\":\"*\"}}");

    private final Map<String, PolicyDocument> packaged;
    private final AccessLevels levels;

    private QuarantinePolicies(Map<String, PolicyDocument> packaged, AccessLevels levels) {
        this.packaged = packaged;
        this.levels = levels;
    }

    public static QuarantinePolicies standard(AccessLevels levels) {
        ObjectMapper json = new ObjectMapper();
        Map<String, PolicyDocument> documents = new LinkedHashMap<>();
        for (String name : PACKAGED) {
            String resource = "/iam/quarantine/" + name + ".json";
            try (InputStream in = PackagedResource.open(resource)) {
                JsonNode wrapper = json.readTree(in);
                documents.put(name, PolicyDocument.parse(name, wrapper.path("arn").asText(),
                        wrapper.path("document").toString()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new QuarantinePolicies(documents, levels);
    }

    /** The packaged document of a quarantine policy by name, e.g. {@code AWSCompromisedKeyQuarantineV3}. */
    public Optional<PolicyDocument> document(String name) {
        return Optional.ofNullable(packaged.get(name));
    }

    /**
     * The watched actions none of the given policies denies; a wildcard such as {@code dynamodb:*} is named as is
     * when none of its actions is denied, and with "(partly)" when only some are.
     */
    public List<String> leftOpen(List<PolicyDocument> quarantine) {
        List<PolicyDocument> policies = new ArrayList<>(quarantine);
        policies.add(ALLOW_EVERYTHING);
        EffectivePermissions denyOnly = new EffectivePermissions(policies, null, levels);
        List<String> open = new ArrayList<>();
        for (String watched : WATCHED) {
            List<String> actions = levels.matching(ActionPattern.of(watched));
            long permitted = actions.stream().filter(denyOnly::permits).count();
            if (permitted == actions.size() && permitted > 0) {
                open.add(watched);
            } else if (permitted > 0) {
                open.add(watched + " (partly)");
            }
        }
        return open;
    }

    /** Which quarantine policies are on the owner, and what they leave open. */
    public QuarantineStatus statusOf(OwnerPermissions owner) {
        List<PolicyDocument> found = new ArrayList<>();
        List<PolicyDocument> attached = new ArrayList<>(owner.attachedPolicies());
        owner.groups().forEach(group -> attached.addAll(group.attachedPolicies()));
        for (PolicyDocument policy : attached) {
            if (policy.arn() != null && policy.arn().startsWith(MANAGED_ARN_PREFIX)) {
                found.add(policy.statements().isEmpty() ? document(policy.name()).orElse(policy) : policy);
            }
        }
        owner.inlinePolicies().stream().filter(p -> p.name().equals(LEGACY_INLINE_NAME)).forEach(found::add);
        List<String> names = found.stream().map(PolicyDocument::name).distinct().toList();
        return new QuarantineStatus(names, found.isEmpty() ? List.of() : leftOpen(found));
    }
}
