package com.leakedkeybot.investigation;

import static com.leakedkeybot.investigation.EventCategory.CREDENTIAL_ACCESS;
import static com.leakedkeybot.investigation.EventCategory.DATA_CHANGE;
import static com.leakedkeybot.investigation.EventCategory.DEFENSE_EVASION;
import static com.leakedkeybot.investigation.EventCategory.EXECUTION;
import static com.leakedkeybot.investigation.EventCategory.EXFILTRATION;
import static com.leakedkeybot.investigation.EventCategory.OTHER;
import static com.leakedkeybot.investigation.EventCategory.PERSISTENCE;
import static com.leakedkeybot.investigation.EventCategory.PRIVILEGE_ESCALATION;
import static com.leakedkeybot.investigation.EventCategory.RECONNAISSANCE;
import static com.leakedkeybot.investigation.EventCategory.RESOURCE_CREATION;
import static com.leakedkeybot.investigation.EventCategory.TEMPORARY_CREDENTIALS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.investigation.AffectedResource.Kind;
import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every Stratus Red Team detonation log, classified. Each expectation was written from what the file really holds
 * (eventName and outcome), so a change to the rule tables that misreads a real attack fails here.
 */
class StratusClassificationTest {

    private static final EventClassifier CLASSIFIER = EventClassifier.standard();
    private static final AffectedResourceExtractor EXTRACTOR = AffectedResourceExtractor.standard();

    /** technique → "Action:CATEGORY[:denied]" for each distinct kind of event in its file. */
    private static final Map<String, Set<String>> EXPECTED = Map.ofEntries(
            Map.entry("aws.credential-access.ec2-get-password-data", Set.of("AssumeRole:TEMPORARY_CREDENTIALS",
                    "AssumeRole:TEMPORARY_CREDENTIALS:denied", "GetPasswordData:CREDENTIAL_ACCESS:denied")),
            // The theft itself (reading the instance metadata service) happens on the instance and is not in
            // CloudTrail; what the key did is run a command there.
            Map.entry("aws.credential-access.ec2-steal-instance-credentials", Set.of("SendCommand:EXECUTION",
                    "DescribeInstanceInformation:RECONNAISSANCE", "GetCommandInvocation:RECONNAISSANCE",
                    "GetCallerIdentity:RECONNAISSANCE", "DescribeInstances:RECONNAISSANCE")),
            Map.entry("aws.credential-access.secretsmanager-batch-retrieve-secrets", Set.of("BatchGetSecretValue:CREDENTIAL_ACCESS")),
            Map.entry("aws.credential-access.secretsmanager-retrieve-secrets",
                    Set.of("GetSecretValue:CREDENTIAL_ACCESS", "ListSecrets:RECONNAISSANCE")),
            Map.entry("aws.credential-access.ssm-retrieve-securestring-parameters",
                    Set.of("GetParameters:CREDENTIAL_ACCESS", "DescribeParameters:RECONNAISSANCE")),
            Map.entry("aws.defense-evasion.cloudtrail-delete", Set.of("DeleteTrail:DEFENSE_EVASION")),
            Map.entry("aws.defense-evasion.cloudtrail-event-selectors", Set.of("PutEventSelectors:DEFENSE_EVASION")),
            Map.entry("aws.defense-evasion.cloudtrail-stop", Set.of("StopLogging:DEFENSE_EVASION")),
            Map.entry("aws.defense-evasion.dns-delete-logs", Set.of("DeleteResolverQueryLogConfig:DEFENSE_EVASION")),
            Map.entry("aws.defense-evasion.organizations-leave",
                    Set.of("AssumeRole:TEMPORARY_CREDENTIALS", "LeaveOrganization:DEFENSE_EVASION:denied")),
            Map.entry("aws.defense-evasion.vpc-remove-flow-logs", Set.of("DeleteFlowLogs:DEFENSE_EVASION")),
            Map.entry("aws.discovery.ec2-download-user-data", Set.of("AssumeRole:TEMPORARY_CREDENTIALS",
                    "AssumeRole:TEMPORARY_CREDENTIALS:denied", "DescribeInstanceAttribute:CREDENTIAL_ACCESS:denied")),
            Map.entry("aws.execution.ec2-launch-unusual-instances",
                    Set.of("AssumeRole:TEMPORARY_CREDENTIALS", "RunInstances:RESOURCE_CREATION:denied")),
            Map.entry("aws.execution.ec2-user-data", Set.of("ModifyInstanceAttribute:EXECUTION",
                    "DescribeInstances:RECONNAISSANCE", "StartInstances:DATA_CHANGE", "StopInstances:DATA_CHANGE")),
            Map.entry("aws.execution.ssm-send-command", Set.of("SendCommand:EXECUTION",
                    "DescribeInstanceInformation:RECONNAISSANCE", "GetCommandInvocation:RECONNAISSANCE")),
            Map.entry("aws.execution.ssm-start-session", Set.of("StartSession:EXECUTION",
                    "DescribeInstanceInformation:RECONNAISSANCE", "TerminateSession:DATA_CHANGE")),
            Map.entry("aws.exfiltration.ec2-security-group-open-port-22-ingress", Set.of("AuthorizeSecurityGroupIngress:EXFILTRATION")),
            Map.entry("aws.exfiltration.ec2-share-ami", Set.of("ModifyImageAttribute:EXFILTRATION")),
            Map.entry("aws.exfiltration.ec2-share-ebs-snapshot", Set.of("ModifySnapshotAttribute:EXFILTRATION")),
            Map.entry("aws.exfiltration.rds-share-snapshot", Set.of("ModifyDBSnapshotAttribute:EXFILTRATION")),
            Map.entry("aws.impact.bedrock-invoke-model", Set.of("InvokeModel:RESOURCE_CREATION",
                    "PutFoundationModelEntitlement:RESOURCE_CREATION", "PutUseCaseForModelAccess:RESOURCE_CREATION",
                    "CreateFoundationModelAgreement:RESOURCE_CREATION", "GetFoundationModelAvailability:RECONNAISSANCE",
                    "ListFoundationModelAgreementOffers:RECONNAISSANCE")),
            Map.entry("aws.initial-access.console-login-without-mfa", Set.of("ConsoleLogin:OTHER")),
            Map.entry("aws.lateral-movement.ec2-instance-connect", Set.of("SendSSHPublicKey:EXECUTION")),
            Map.entry("aws.lateral-movement.ec2-serial-console-send-ssh-public-key",
                    Set.of("EnableSerialConsoleAccess:EXECUTION", "SendSerialConsoleSSHPublicKey:EXECUTION")),
            Map.entry("aws.persistence.iam-backdoor-role", Set.of("UpdateAssumeRolePolicy:PERSISTENCE")),
            Map.entry("aws.persistence.iam-backdoor-user", Set.of("CreateAccessKey:PERSISTENCE")),
            Map.entry("aws.persistence.iam-create-admin-user", Set.of("CreateUser:PERSISTENCE",
                    "AttachUserPolicy:PRIVILEGE_ESCALATION", "CreateAccessKey:PERSISTENCE")),
            Map.entry("aws.persistence.iam-create-backdoor-role",
                    Set.of("CreateRole:PERSISTENCE", "AttachRolePolicy:PRIVILEGE_ESCALATION")),
            // DeleteLoginProfile failed with EntityTemporarilyUnmodifiable: failed, not refused.
            Map.entry("aws.persistence.iam-create-user-login-profile", Set.of("CreateLoginProfile:PERSISTENCE",
                    "DeleteLoginProfile:DATA_CHANGE", "GetCallerIdentity:RECONNAISSANCE")),
            Map.entry("aws.persistence.lambda-backdoor-function", Set.of("AddPermission:PERSISTENCE")),
            Map.entry("aws.persistence.lambda-layer-extension", Set.of("UpdateFunctionConfiguration:PERSISTENCE")),
            Map.entry("aws.persistence.lambda-overwrite-code", Set.of("UpdateFunctionCode:PERSISTENCE")),
            Map.entry("aws.persistence.rolesanywhere-create-trust-anchor",
                    Set.of("CreateTrustAnchor:PERSISTENCE", "CreateProfile:PERSISTENCE")),
            // The federation token is this technique's persistence: a session that outlives the key. Its
            // category is TEMPORARY_CREDENTIALS and the minted key is followed (see CloudTrailInvestigationTest).
            Map.entry("aws.persistence.sts-federation-token",
                    Set.of("GetFederationToken:TEMPORARY_CREDENTIALS", "GetCallerIdentity:RECONNAISSANCE")),
            Map.entry("aws.privilege-escalation.iam-update-user-login-profile", Set.of("UpdateLoginProfile:PERSISTENCE")));

    static List<String> techniques() {
        return CloudTrailDatasets.stratusTechniques("aws.");
    }

    private static List<TrailEvent> events(String technique) {
        return CloudTrailDatasets.stratus(technique).stream().map(n -> TrailEvent.parse(n.toString())).toList();
    }

    private static Set<String> classified(String technique) {
        return events(technique).stream().map(e -> {
            Classification c = CLASSIFIER.classify(e);
            return e.action() + ":" + c.category() + (c.denied() ? ":denied" : "");
        }).collect(Collectors.toCollection(TreeSet::new));
    }

    private static List<String> resources(String technique) {
        List<String> out = new ArrayList<>();
        events(technique).forEach(e -> EXTRACTOR.extract(e).forEach(r ->
                out.add(r.kind() + " " + r.action() + " " + r.identifier() + (r.parent() == null ? "" : " of " + r.parent()))));
        return out.stream().sorted().toList();
    }

    @Test
    void everyDetonationLogHasAnExpectation() {
        assertEquals(new TreeSet<>(techniques()), new TreeSet<>(EXPECTED.keySet()));
        assertEquals(35, techniques().size());
    }

    @ParameterizedTest
    @MethodSource("techniques")
    void eachTechniqueIsClassifiedAsItsEventsShow(String technique) {
        assertEquals(new TreeSet<>(EXPECTED.get(technique)), classified(technique));
    }

    @ParameterizedTest
    @MethodSource("persistenceTechniques")
    void persistenceTechniquesShowPersistenceOrMintedCredentials(String technique) {
        Set<EventCategory> categories = events(technique).stream().map(e -> CLASSIFIER.classify(e).category())
                .collect(Collectors.toSet());
        if (technique.endsWith("sts-federation-token")) {
            assertTrue(categories.contains(TEMPORARY_CREDENTIALS));
            assertTrue(events(technique).stream().anyMatch(e -> DerivedCredential.from(e).isPresent()));
        } else {
            assertTrue(categories.contains(PERSISTENCE), technique + " " + categories);
        }
    }

    static List<String> persistenceTechniques() {
        return CloudTrailDatasets.stratusTechniques("aws.persistence.");
    }

    @ParameterizedTest
    @MethodSource("defenseEvasionTechniques")
    void defenseEvasionTechniquesShowDefenseEvasion(String technique) {
        assertTrue(events(technique).stream().anyMatch(e -> CLASSIFIER.classify(e).category() == DEFENSE_EVASION));
    }

    static List<String> defenseEvasionTechniques() {
        return CloudTrailDatasets.stratusTechniques("aws.defense-evasion.");
    }

    @Test
    void credentialAccessTechniquesShowCredentialAccessExceptTheOneThatHappensOnTheInstance() {
        List<String> withCredentialAccess = CloudTrailDatasets.stratusTechniques("aws.credential-access.").stream()
                .filter(t -> events(t).stream().anyMatch(e -> CLASSIFIER.classify(e).category() == CREDENTIAL_ACCESS))
                .toList();
        assertEquals(List.of("aws.credential-access.ec2-get-password-data",
                "aws.credential-access.secretsmanager-batch-retrieve-secrets",
                "aws.credential-access.secretsmanager-retrieve-secrets",
                "aws.credential-access.ssm-retrieve-securestring-parameters"), withCredentialAccess);
    }

    @Test
    void createAdminUserYieldsTheUserItsAdminPolicyAndItsNewKey() {
        assertEquals(List.of(
                "IAM_ACCESS_KEY CREATED AKIAXAFZN8JEPF6L682H of malicious-iam-user",
                "IAM_USER CREATED malicious-iam-user",
                "IAM_USER_POLICY_ATTACHMENT CREATED arn:aws:iam::aws:policy/AdministratorAccess of malicious-iam-user"),
                resources("aws.persistence.iam-create-admin-user"));
        AffectedResource key = events("aws.persistence.iam-create-admin-user").stream()
                .flatMap(e -> EXTRACTOR.extract(e).stream()).filter(r -> r.kind() == Kind.IAM_ACCESS_KEY).findFirst().orElseThrow();
        assertEquals("AKIAOZUDECYXYM4ONAN4", key.accessKeyId());
        assertEquals("CreateAccessKey", key.eventName());
        assertEquals("ap-isob-central-3r", key.region());
        assertEquals("created access key AKIAXAFZN8JEPF6L682H of user malicious-iam-user", key.describe());
    }

    @Test
    void persistenceAndEvasionResourcesAreNamedAsTheirCleanUpNeedsThem() {
        assertEquals(List.of("IAM_ROLE_TRUST_POLICY CHANGED stratus-red-team-backdoor-r-role"),
                resources("aws.persistence.iam-backdoor-role"));
        assertEquals(List.of("IAM_ACCESS_KEY CREATED AKIAL80DWDVKKM0UXEER of stratus-red-team-backdoor-u-user"),
                resources("aws.persistence.iam-backdoor-user"));
        assertEquals(List.of("IAM_ROLE CREATED stratus-red-team-malicious-iam-role",
                "IAM_ROLE_POLICY_ATTACHMENT CREATED arn:aws:iam::aws:policy/AdministratorAccess of stratus-red-team-malicious-iam-role"),
                resources("aws.persistence.iam-create-backdoor-role"));
        // The failed DeleteLoginProfile changed nothing.
        assertEquals(List.of("IAM_LOGIN_PROFILE CREATED stratus-red-team-login-profile-user"),
                resources("aws.persistence.iam-create-user-login-profile"));
        assertEquals(List.of("LAMBDA_PERMISSION CREATED backdoor of stratus-red-team-backdoor-f-func"),
                resources("aws.persistence.lambda-backdoor-function"));
        assertEquals(List.of("LAMBDA_FUNCTION CHANGED stratus-red-team-lambda-layer-simpleLambda"),
                resources("aws.persistence.lambda-layer-extension"));
        assertEquals(List.of("LAMBDA_FUNCTION CHANGED stratus-red-team-olc-func-vayhjqkdav"),
                resources("aws.persistence.lambda-overwrite-code"));
        assertEquals(List.of("ROLES_ANYWHERE_PROFILE CREATED 910042eb-8463-427d-8095-6fd60ac303d9",
                "ROLES_ANYWHERE_TRUST_ANCHOR CREATED 4d07f6a0-1c50-44d3-951b-b68b783daa0a"),
                resources("aws.persistence.rolesanywhere-create-trust-anchor"));
        assertEquals(List.of(), resources("aws.persistence.sts-federation-token"));
        assertEquals(List.of("IAM_LOGIN_PROFILE CHANGED stratus-red-team-update-login-profile-user"),
                resources("aws.privilege-escalation.iam-update-user-login-profile"));
        assertEquals(List.of("CLOUDTRAIL_TRAIL DELETED stratus-red-team-cloudtraild-trail-kvrwohmiai"),
                resources("aws.defense-evasion.cloudtrail-delete"));
        assertEquals(List.of("CLOUDTRAIL_TRAIL CHANGED stratus-red-team-ct-stop-trail-buykxbqejv"),
                resources("aws.defense-evasion.cloudtrail-stop"));
        assertEquals(List.of("EC2_FLOW_LOG DELETED fl-0e17aa62a21d4bbfe"), resources("aws.defense-evasion.vpc-remove-flow-logs"));
        assertEquals(List.of("DNS_QUERY_LOG_CONFIG DELETED rqlc-4473f20ca554c07"), resources("aws.defense-evasion.dns-delete-logs"));
        assertEquals(List.of("EC2_SECURITY_GROUP_RULE CREATED sgr-09b3e3d2ca1edf2a2 of sg-003dc7f1f1c686164"),
                resources("aws.exfiltration.ec2-security-group-open-port-22-ingress"));
        assertEquals(List.of("EC2_SNAPSHOT CHANGED snap-041993b54a9b3af6f"), resources("aws.exfiltration.ec2-share-ebs-snapshot"));
        assertEquals(List.of("EC2_IMAGE CHANGED ami-de1fbCab6ccB03e6D"), resources("aws.exfiltration.ec2-share-ami"));
        assertEquals(List.of("RDS_SNAPSHOT CHANGED exfiltration"), resources("aws.exfiltration.rds-share-snapshot"));
    }

    @Test
    void sharingDetailsNameTheAccountsDataWentTo() {
        AffectedResource snapshot = events("aws.exfiltration.ec2-share-ebs-snapshot").stream()
                .flatMap(e -> EXTRACTOR.extract(e).stream()).findFirst().orElseThrow();
        assertEquals("shared with 098797384747", snapshot.detail());
        AffectedResource rule = events("aws.exfiltration.ec2-security-group-open-port-22-ingress").stream()
                .flatMap(e -> EXTRACTOR.extract(e).stream()).findFirst().orElseThrow();
        assertEquals("ingress from 208.236.235.254/0", rule.detail());
    }

    @Test
    void categoriesUsedByTheExpectationsAreAllRealised() {
        // Guards the static imports above against silently unused categories.
        Set<EventCategory> seen = techniques().stream().flatMap(t -> events(t).stream())
                .map(e -> CLASSIFIER.classify(e).category()).collect(Collectors.toSet());
        assertEquals(Set.of(CREDENTIAL_ACCESS, DATA_CHANGE, DEFENSE_EVASION, EXECUTION, EXFILTRATION, OTHER, PERSISTENCE,
                PRIVILEGE_ESCALATION, RECONNAISSANCE, RESOURCE_CREATION, TEMPORARY_CREDENTIALS), seen);
    }
}
