package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.doReturn;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import com.leakedkeybot.blastradius.BlastRadius;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.OwnerPermissions;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPermissionsBoundary;
import software.amazon.awssdk.services.iam.model.GetPolicyRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyResponse;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionRequest;
import software.amazon.awssdk.services.iam.model.GetPolicyVersionResponse;
import software.amazon.awssdk.services.iam.model.GetUserRequest;
import software.amazon.awssdk.services.iam.model.GetUserResponse;
import software.amazon.awssdk.services.iam.model.ListAttachedUserPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListAttachedUserPoliciesResponse;
import software.amazon.awssdk.services.iam.model.ListGroupsForUserRequest;
import software.amazon.awssdk.services.iam.model.ListGroupsForUserResponse;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesRequest;
import software.amazon.awssdk.services.iam.model.ListUserPoliciesResponse;

/**
 * IAM's answers as AWS shapes them (documents URL-encoded, a boundary on GetUser), which moto does not reproduce.
 * The client's paginators run for real; only the wire calls are answered.
 */
class OwnerPolicyCollectionTest {

    private static final String ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
    private static final String BOUNDARY = "arn:aws:iam::111122223333:policy/read-s3-only";

    private static String encoded(String json) {
        // IAM encodes documents per RFC 3986: spaces as %20, which URLEncoder writes as '+'.
        return URLEncoder.encode(json, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Test
    void readsTheBoundaryAndDecodesUrlEncodedDocuments() throws Exception {
        IamClient iam = mock(IamClient.class, CALLS_REAL_METHODS);
        doReturn(GetUserResponse.builder().user(u -> u.userName("bob").permissionsBoundary(
                AttachedPermissionsBoundary.builder().permissionsBoundaryArn(BOUNDARY).build())).build())
                .when(iam).getUser(any(GetUserRequest.class));
        doReturn(ListAttachedUserPoliciesResponse.builder().attachedPolicies(p -> p.policyArn(ADMIN).policyName("AdministratorAccess"))
                .isTruncated(false).build()).when(iam).listAttachedUserPolicies(any(ListAttachedUserPoliciesRequest.class));
        doReturn(ListUserPoliciesResponse.builder().isTruncated(false).build())
                .when(iam).listUserPolicies(any(ListUserPoliciesRequest.class));
        doReturn(ListGroupsForUserResponse.builder().isTruncated(false).build())
                .when(iam).listGroupsForUser(any(ListGroupsForUserRequest.class));
        doReturn(GetPolicyResponse.builder().policy(p -> p.policyName("AdministratorAccess").arn(ADMIN).defaultVersionId("v1")).build())
                .when(iam).getPolicy(GetPolicyRequest.builder().policyArn(ADMIN).build());
        doReturn(GetPolicyResponse.builder().policy(p -> p.policyName("read-s3-only").arn(BOUNDARY).defaultVersionId("v3")).build())
                .when(iam).getPolicy(GetPolicyRequest.builder().policyArn(BOUNDARY).build());
        doReturn(GetPolicyVersionResponse.builder().policyVersion(v -> v.document(encoded(
                "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"*\", \"Resource\": \"*\"}]}"))).build())
                .when(iam).getPolicyVersion(GetPolicyVersionRequest.builder().policyArn(ADMIN).versionId("v1").build());
        doReturn(GetPolicyVersionResponse.builder().policyVersion(v -> v.document(encoded(
                "{\"Version\": \"2012-10-17\", \"Statement\": {\"Effect\": \"Allow\", \"Action\": [\"s3:Get*\", \"s3:List*\"], \"Resource\": \"*\"}}"))).build())
                .when(iam).getPolicyVersion(GetPolicyVersionRequest.builder().policyArn(BOUNDARY).versionId("v3").build());

        OwnerPolicyCollection collection = new OwnerPolicyCollection(iam);
        OwnerPermissions owner = collection.collect("bob");

        assertEquals("read-s3-only", owner.permissionsBoundary().name());
        assertEquals(BOUNDARY, owner.permissionsBoundary().arn());
        assertEquals("AdministratorAccess", owner.attachedPolicies().get(0).name());
        BlastRadius radius = BlastRadiusAnalysis.standard().analyse(owner);
        assertEquals(BlastRadius.Level.READ_ONLY, radius.level(), "the boundary caps AdministratorAccess");

        collection.collect("bob");
        // The same default version is fetched once: managed policy versions never change.
        verify(iam, times(1)).getPolicyVersion(GetPolicyVersionRequest.builder().policyArn(ADMIN).versionId("v1").build());
        verify(iam, times(2)).getPolicy(GetPolicyRequest.builder().policyArn(ADMIN).build());
    }

    @Test
    void plainDocumentsAreLeftAsTheyAre() {
        String plain = "{\"Statement\":{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::a+b/*\"}}";
        assertEquals(plain, OwnerPolicyCollection.decoded(plain));
        assertEquals(plain, OwnerPolicyCollection.decoded(encoded(plain)));
    }
}
