package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventClassifierTest {

    private static final EventClassifier CLASSIFIER = EventClassifier.standard();

    static TrailEvent event(String source, String name, Boolean readOnly, String errorCode, String request) {
        return TrailEvent.parse("{\"eventID\":\"e1\",\"eventTime\":\"2024-05-01T10:00:00Z\",\"eventSource\":\"" + source
                + "\",\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\""
                + (readOnly == null ? "" : ",\"readOnly\":" + readOnly)
                + (errorCode == null ? "" : ",\"errorCode\":\"" + errorCode + "\"")
                + ",\"userIdentity\":{\"accessKeyId\":\"AKIAEXAMPLE\"},\"requestParameters\":" + request + "}");
    }

    private static EventCategory category(String source, String name, Boolean readOnly, String request) {
        return CLASSIFIER.classify(event(source, name, readOnly, null, request)).category();
    }

    @Test
    void listedEventsTakeTheirCategoryFromTheTable() {
        assertEquals(EventCategory.PERSISTENCE, category("iam.amazonaws.com", "CreateLoginProfile", false, "{}"));
        assertEquals(EventCategory.PRIVILEGE_ESCALATION, category("iam.amazonaws.com", "CreatePolicyVersion", false, "{}"));
        assertEquals(EventCategory.DEFENSE_EVASION, category("cloudtrail.amazonaws.com", "StopLogging", false, "{}"));
        assertEquals(EventCategory.DEFENSE_EVASION, category("guardduty.amazonaws.com", "DeleteDetector", false, "{}"));
        assertEquals(EventCategory.TEMPORARY_CREDENTIALS, category("sts.amazonaws.com", "GetSessionToken", false, "{}"));
        assertEquals(EventCategory.CREDENTIAL_ACCESS, category("secretsmanager.amazonaws.com", "GetSecretValue", true, "{}"));
        assertEquals(EventCategory.RESOURCE_CREATION, category("lambda.amazonaws.com", "CreateFunction20150331", false, "{}"));
    }

    @Test
    void theSameNameInAnotherServiceIsNotConfused() {
        // StopLogging is defense evasion in CloudTrail only; elsewhere the prefix rule applies.
        assertEquals(EventCategory.DATA_CHANGE, category("example.amazonaws.com", "StopLogging", false, "{}"));
    }

    @Test
    void conditionalRulesLookAtTheRequest() {
        assertEquals(EventCategory.CREDENTIAL_ACCESS,
                category("ssm.amazonaws.com", "GetParameter", true, "{\"name\":\"/db/password\",\"withDecryption\":true}"));
        assertEquals(EventCategory.RECONNAISSANCE,
                category("ssm.amazonaws.com", "GetParameter", true, "{\"name\":\"/db/host\",\"withDecryption\":false}"));
        assertEquals(EventCategory.PRIVILEGE_ESCALATION, category("ec2.amazonaws.com", "RunInstances", false,
                "{\"iamInstanceProfile\":{\"name\":\"admin-profile\"}}"));
        assertEquals(EventCategory.RESOURCE_CREATION, category("ec2.amazonaws.com", "RunInstances", false, "{\"instanceType\":\"p2.xlarge\"}"));
        assertEquals(EventCategory.EXFILTRATION, category("ec2.amazonaws.com", "ModifySnapshotAttribute", false,
                "{\"snapshotId\":\"snap-1\",\"createVolumePermission\":{\"add\":{\"items\":[{\"userId\":\"111122223333\"}]}}}"));
        assertEquals(EventCategory.DATA_CHANGE, category("ec2.amazonaws.com", "ModifySnapshotAttribute", false,
                "{\"snapshotId\":\"snap-1\",\"createVolumePermission\":{\"remove\":{\"items\":[{\"userId\":\"111122223333\"}]}}}"));
        assertEquals(EventCategory.PERSISTENCE, category("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                false, "{\"functionName\":\"f\",\"layers\":[\"arn:aws:lambda:us-east-1:1:layer:x:1\"]}"));
        assertEquals(EventCategory.DATA_CHANGE, category("lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                false, "{\"functionName\":\"f\",\"timeout\":30}"));
        assertEquals(EventCategory.CREDENTIAL_ACCESS, category("ec2.amazonaws.com", "DescribeInstanceAttribute", true,
                "{\"attribute\":\"userData\",\"instanceId\":\"i-1\"}"));
        assertEquals(EventCategory.RECONNAISSANCE, category("ec2.amazonaws.com", "DescribeInstanceAttribute", true,
                "{\"attribute\":\"instanceType\",\"instanceId\":\"i-1\"}"));
    }

    @Test
    void unlistedEventsFallBackToPrefixesThenToReadOnly() {
        assertEquals(EventCategory.RECONNAISSANCE, category("dynamodb.amazonaws.com", "DescribeTable", true, "{}"));
        assertEquals(EventCategory.RESOURCE_CREATION, category("dynamodb.amazonaws.com", "CreateTable", false, "{}"));
        assertEquals(EventCategory.DATA_CHANGE, category("dynamodb.amazonaws.com", "DeleteTable", false, "{}"));
        // "Get" must start a word: "Getaway" is no read.
        assertEquals(EventCategory.DATA_CHANGE, category("x.amazonaws.com", "GetawayNow", false, "{}"));
        assertEquals(EventCategory.RECONNAISSANCE, category("x.amazonaws.com", "Decrypt", true, "{}"));
        assertEquals(EventCategory.DATA_CHANGE, category("x.amazonaws.com", "Frobnicate", false, "{}"));
        assertEquals(EventCategory.OTHER, category("x.amazonaws.com", "Frobnicate", null, "{}"));
    }

    @Test
    void refusedCallsKeepTheirCategoryAndAreFlaggedDenied() {
        Classification denied = CLASSIFIER.classify(event("iam.amazonaws.com", "CreateUser", false, "AccessDenied", "{}"));
        assertEquals(new Classification(EventCategory.PERSISTENCE, true), denied);
        assertTrue(CLASSIFIER.classify(event("ec2.amazonaws.com", "RunInstances", false, "Client.UnauthorizedOperation", "{}")).denied());
        assertTrue(CLASSIFIER.isDenied("AccessDeniedException"));
        // A failure that is not a refusal (the entity was busy) is not "denied".
        Classification busy = CLASSIFIER.classify(event("iam.amazonaws.com", "DeleteLoginProfile", false,
                "EntityTemporarilyUnmodifiableException", "{}"));
        assertFalse(busy.denied());
        assertFalse(CLASSIFIER.isDenied(null));
    }
}
