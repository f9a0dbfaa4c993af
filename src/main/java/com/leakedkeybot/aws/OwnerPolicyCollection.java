package com.leakedkeybot.aws;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.leakedkeybot.blastradius.OwnerPermissions;
import com.leakedkeybot.blastradius.OwnerPermissionsSource;
import com.leakedkeybot.blastradius.PermissionsLookupException;
import com.leakedkeybot.blastradius.PolicyDocument;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.Group;
import software.amazon.awssdk.services.iam.model.Policy;
import software.amazon.awssdk.services.iam.model.User;

/** Reads every policy that applies to an IAM user: its own, its groups' and its permissions boundary. */
public final class OwnerPolicyCollection implements OwnerPermissionsSource {

    private final IamClient iam;
    // Managed policy versions never change, and AWS managed ones (ReadOnlyAccess...) are large and shared by many users.
    private final Cache<String, PolicyDocument> policyVersions =
            Caffeine.newBuilder().maximumSize(500).expireAfterAccess(Duration.ofHours(12)).build();

    public OwnerPolicyCollection(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public OwnerPermissions collect(String userName) throws PermissionsLookupException {
        try {
            User user = iam.getUser(r -> r.userName(userName)).user();
            PolicyDocument boundary = user.permissionsBoundary() == null ? null
                    : managed(user.permissionsBoundary().permissionsBoundaryArn());
            List<PolicyDocument> attached = iam.listAttachedUserPoliciesPaginator(r -> r.userName(userName))
                    .attachedPolicies().stream().map(AttachedPolicy::policyArn).map(this::managed).toList();
            List<PolicyDocument> inline = iam.listUserPoliciesPaginator(r -> r.userName(userName)).policyNames().stream()
                    .map(name -> inline(name, iam.getUserPolicy(r -> r.userName(userName).policyName(name)).policyDocument()))
                    .toList();
            List<OwnerPermissions.GroupPermissions> groups = iam.listGroupsForUserPaginator(r -> r.userName(userName))
                    .groups().stream().map(Group::groupName).map(this::group).toList();
            return new OwnerPermissions(userName, attached, inline, groups, boundary);
        } catch (SdkException e) {
            throw new PermissionsLookupException("Could not read the policies of " + userName + ": " + FailureReason.of(e), e);
        } catch (IllegalArgumentException e) {
            throw new PermissionsLookupException("A policy of " + userName + " could not be read: " + e.getMessage(), e);
        }
    }

    private OwnerPermissions.GroupPermissions group(String groupName) {
        List<PolicyDocument> attached = iam.listAttachedGroupPoliciesPaginator(r -> r.groupName(groupName))
                .attachedPolicies().stream().map(AttachedPolicy::policyArn).map(this::managed).toList();
        List<PolicyDocument> inline = iam.listGroupPoliciesPaginator(r -> r.groupName(groupName)).policyNames().stream()
                .map(name -> inline(name, iam.getGroupPolicy(r -> r.groupName(groupName).policyName(name)).policyDocument()))
                .toList();
        return new OwnerPermissions.GroupPermissions(groupName, attached, inline);
    }

    /** The default version of a managed policy. */
    private PolicyDocument managed(String arn) {
        Policy policy = iam.getPolicy(r -> r.policyArn(arn)).policy();
        return policyVersions.get(arn + "#" + policy.defaultVersionId(), key -> PolicyDocument.parse(policy.policyName(), arn,
                decoded(iam.getPolicyVersion(r -> r.policyArn(arn).versionId(policy.defaultVersionId()))
                        .policyVersion().document())));
    }

    private static PolicyDocument inline(String name, String document) {
        return PolicyDocument.parse(name, null, decoded(document));
    }

    /** IAM returns policy documents URL-encoded (RFC 3986); some emulators return them plain. */
    static String decoded(String document) {
        String trimmed = document.trim();
        return trimmed.startsWith("{") ? trimmed : URLDecoder.decode(trimmed, StandardCharsets.UTF_8);
    }
}
