package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.EvaluationResult;
import software.amazon.awssdk.services.iam.model.IamException;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.PolicyEvaluationDecisionType;
import software.amazon.awssdk.services.iam.model.SimulatePrincipalPolicyResponse;
import software.amazon.awssdk.services.iam.model.Statement;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The simulator fake as the SDK reads it, over policies held by moto: decisions, pagination and refusals. */
class FakePolicySimulatorTest {

    private static IamClient moto;
    private static FakePolicySimulator simulator;
    private static IamClient routed;

    private String user;
    private String userArn;

    @BeforeAll
    static void start() {
        URI endpoint = SharedMoto.get().endpoint();
        moto = AwsTestClients.iam(endpoint);
        simulator = FakePolicySimulator.start(moto);
        routed = simulator.iam(endpoint);
    }

    @AfterAll
    static void stop() {
        routed.close();
        simulator.close();
    }

    @BeforeEach
    void user() {
        user = "sim-" + UUID.randomUUID().toString().substring(0, 8);
        userArn = moto.createUser(r -> r.userName(user).path("/teams/")).user().arn();
    }

    @Test
    void eachActionOnEachResourceIsAllowedDeniedExplicitlyOrDeniedImplicitlyWithTheDecidingPolicies() {
        allow("reads-bucket", "{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"arn:aws:s3:::data/*\"}");
        String group = "grp-" + user;
        moto.createGroup(r -> r.groupName(group));
        moto.addUserToGroup(r -> r.groupName(group).userName(user));
        String guard = moto.createPolicy(r -> r.policyName("guard-" + user).policyDocument(document(
                "{\"Effect\":\"Deny\",\"Action\":\"s3:getobject\",\"Resource\":\"arn:aws:s3:::data/secret/*\"}")))
                .policy().arn();
        moto.attachGroupPolicy(r -> r.groupName(group).policyArn(guard));

        List<EvaluationResult> results = routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("s3:GetObject").resourceArns("arn:aws:s3:::data/a", "arn:aws:s3:::data/secret/b",
                        "arn:aws:s3:::other/c")).evaluationResults();

        assertEquals(List.of(PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.EXPLICIT_DENY,
                PolicyEvaluationDecisionType.IMPLICIT_DENY), results.stream().map(EvaluationResult::evalDecision).toList());
        assertEquals(List.of("arn:aws:s3:::data/a", "arn:aws:s3:::data/secret/b", "arn:aws:s3:::other/c"),
                results.stream().map(EvaluationResult::evalResourceName).toList());
        assertEquals(List.of("reads-bucket"), sources(results.get(0).matchedStatements()));
        assertEquals(List.of("guard-" + user), sources(results.get(1).matchedStatements()));
        assertEquals("user-managed", results.get(1).matchedStatements().get(0).sourcePolicyTypeAsString());
        assertEquals(List.of(), results.get(2).matchedStatements());
        assertEquals(results.get(1).evalDecision(), results.get(1).resourceSpecificResults().get(0).evalResourceDecision());
    }

    /** On a role: moto keeps permissions boundaries for roles only. */
    @Test
    void aPermissionsBoundaryCapsWhatARolesPoliciesAllow() {
        String boundary = moto.createPolicy(r -> r.policyName("boundary-" + user).policyDocument(document(
                "{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"*\"}"))).policy().arn();
        String roleArn = moto.createRole(r -> r.roleName("role-" + user).permissionsBoundary(boundary)
                .assumeRolePolicyDocument(document("{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}"))).role().arn();
        moto.putRolePolicy(r -> r.roleName("role-" + user).policyName("all-of-s3").policyDocument(document(
                "{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"*\"}")));

        List<EvaluationResult> results = routed.simulatePrincipalPolicy(r -> r.policySourceArn(roleArn)
                .actionNames("s3:GetObject", "s3:PutObject")).evaluationResults();

        assertEquals(List.of(PolicyEvaluationDecisionType.ALLOWED, PolicyEvaluationDecisionType.IMPLICIT_DENY),
                results.stream().map(EvaluationResult::evalDecision).toList());
        assertEquals("*", results.get(0).evalResourceName());
    }

    @Test
    void aConditionDoesNotApplyAndItsKeysAreMissingOnTheResourceWhenResourcesAreNamed() {
        allow("office-only", "{\"Effect\":\"Allow\",\"Action\":\"secretsmanager:GetSecretValue\",\"Resource\":\"*\","
                + "\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"203.0.113.0/24\"}}}");

        EvaluationResult named = routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("secretsmanager:GetSecretValue").resourceArns("arn:aws:secretsmanager:us-east-1:"
                        + "123456789012:secret:x-*")).evaluationResults().get(0);
        EvaluationResult everything = routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("secretsmanager:GetSecretValue")).evaluationResults().get(0);

        assertEquals(PolicyEvaluationDecisionType.IMPLICIT_DENY, named.evalDecision());
        assertEquals(List.of(), named.missingContextValues());
        assertEquals(List.of("aws:SourceIp"), named.resourceSpecificResults().get(0).missingContextValues());
        assertEquals(List.of("aws:SourceIp"), everything.missingContextValues());
        assertTrue(everything.resourceSpecificResults().isEmpty());
    }

    @Test
    void resultsComePageByPageWithAMarkerAndThePaginatorReadsThemAll() {
        allow("reads", "{\"Effect\":\"Allow\",\"Action\":\"s3:Get*\",\"Resource\":\"*\"}");
        List<String> actions = List.of("s3:GetObject", "s3:PutObject", "s3:GetBucketPolicy");

        SimulatePrincipalPolicyResponse first = routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames(actions).resourceArns("arn:aws:s3:::a", "arn:aws:s3:::b").maxItems(4));
        List<EvaluationResult> all = routed.simulatePrincipalPolicyPaginator(r -> r.policySourceArn(userArn)
                .actionNames(actions).resourceArns("arn:aws:s3:::a", "arn:aws:s3:::b").maxItems(4))
                .evaluationResults().stream().toList();

        assertTrue(first.isTruncated());
        assertEquals(4, first.evaluationResults().size());
        assertEquals(6, all.size());
        assertEquals(List.of("s3:GetObject", "s3:GetObject", "s3:PutObject", "s3:PutObject", "s3:GetBucketPolicy",
                "s3:GetBucketPolicy"), all.stream().map(EvaluationResult::evalActionName).toList());
        IamException stale = assertThrows(IamException.class, () -> routed.simulatePrincipalPolicy(r -> r
                .policySourceArn(moto.createUser(u -> u.userName(user + "-b")).user().arn())
                .actionNames(actions).marker(first.marker())));
        assertEquals("InvalidInput", stale.awsErrorDetails().errorCode(), "a marker belongs to its query");
    }

    @Test
    void refusesWhatIamRefuses() {
        NoSuchEntityException absent = assertThrows(NoSuchEntityException.class, () -> routed.simulatePrincipalPolicy(
                r -> r.policySourceArn("arn:aws:iam::123456789012:user/nobody-" + user).actionNames("s3:GetObject")));
        assertEquals(404, absent.statusCode());
        assertThrows(NoSuchEntityException.class, () -> routed.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:iam::123456789012:user/" + user).actionNames("s3:GetObject")),
                "the user's ARN has its path");
        assertEquals("InvalidInput", code(() -> routed.simulatePrincipalPolicy(r -> r
                .policySourceArn("arn:aws:s3:::a-bucket-of-" + user).actionNames("s3:GetObject"))));
        assertEquals("InvalidInput", code(() -> routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("GetObject"))));
        assertEquals("ValidationError", code(() -> routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("s3:GetObject").maxItems(1001))));
        assertEquals("ValidationError", code(() -> routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn))));
        assertEquals("FakeDoesNotImplement", code(() -> routed.simulatePrincipalPolicy(r -> r.policySourceArn(userArn)
                .actionNames("s3:GetObject").contextEntries(c -> c.contextKeyName("aws:SourceIp")
                        .contextKeyType("ip").contextKeyValues("203.0.113.9")))), "no input is silently ignored");
    }

    @Test
    void onlySimulationsAreRoutedHereAndNothingElseIsServed() throws Exception {
        int before = simulator.simulations();

        assertEquals(user, routed.getUser(r -> r.userName(user)).user().userName(), "GetUser reached moto");

        assertEquals(before, simulator.simulations());
        HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(simulator.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString("Action=GetUser&UserName=" + user)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, other.statusCode());
        assertFalse(other.body().contains("<GetUserResult>"));
    }

    private void allow(String name, String statement) {
        moto.putUserPolicy(r -> r.userName(user).policyName(name).policyDocument(document(statement)));
    }

    private static String document(String statement) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[" + statement + "]}";
    }

    private static List<String> sources(List<Statement> statements) {
        return statements.stream().map(Statement::sourcePolicyId).toList();
    }

    private static String code(Runnable call) {
        return assertThrows(IamException.class, call::run).awsErrorDetails().errorCode();
    }
}
