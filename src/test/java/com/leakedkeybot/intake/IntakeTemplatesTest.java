package com.leakedkeybot.intake;

import com.leakedkeybot.testkit.SharedMoto;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.IntakeEvents;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The CloudFormation templates' event patterns, installed as rules on moto, forward exactly what the bot reads: every
 * AWS_RISK_* Health event and GuardDuty findings about access keys, and nothing else of theirs.
 */
class IntakeTemplatesTest {

    private static final String KEY = "AKIAY34FZKBOKMUTVV7A";
    private static final List<String> CODES = List.of("AWS_RISK_CREDENTIALS_EXPOSED",
            "AWS_RISK_CREDENTIALS_EXPOSURE_SUSPECTED", "AWS_RISK_CREDENTIALS_COMPROMISED",
            "AWS_RISK_CREDENTIALS_COMPROMISE_SUSPECTED", "AWS_RISK_IAM_QUARANTINE");

    @Test
    void theCentralAndMemberRulesForwardWhatTheBotReadsAndNothingElse() throws Exception {
        for (String template : List.of("intake-central.yaml", "intake-member-forwarding.yaml")) {
            // The central template has the same two patterns on the account's bus and on the central bus.
            List<String> patterns = eventPatterns(template).stream().distinct().toList();
            assertEquals(2, patterns.size(), template);
            URI moto = SharedMoto.get().endpoint();
            String name = "tmpl-" + UUID.randomUUID().toString().substring(0, 8);
            try (EventBridgeClient events = AwsTestClients.eventBridge(moto); SqsClient sqs = AwsTestClients.sqs(moto)) {
                String queue = sqs.createQueue(r -> r.queueName(name)).queueUrl();
                String arn = sqs.getQueueAttributes(r -> r.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                        .attributes().get(QueueAttributeName.QUEUE_ARN);
                events.createEventBus(r -> r.name(name));
                for (int i = 0; i < patterns.size(); i++) {
                    String rule = name + "-" + i;
                    String pattern = patterns.get(i);
                    events.putRule(r -> r.name(rule).eventBusName(name).eventPattern(pattern));
                    events.putTargets(r -> r.rule(rule).eventBusName(name).targets(t -> t.id("q").arn(arn)));
                }
                for (String code : CODES) {
                    put(events, name, "aws.health", "AWS Health Event", IntakeEvents.healthDetail(code, KEY, code,
                            "https://example.com/" + code));
                }
                put(events, name, "aws.health", "AWS Health Event",
                        "{\"eventTypeCode\":\"AWS_EC2_INSTANCE_RETIREMENT_SCHEDULED\",\"service\":\"EC2\"}");
                put(events, name, "aws.guardduty", "GuardDuty Finding", IntakeEvents.guardDutyDetail("f-key",
                        "UnauthorizedAccess:IAMUser/MaliciousIPCaller", KEY, "ListUsers", "198.51.100.7"));
                put(events, name, "aws.guardduty", "GuardDuty Finding",
                        "{\"id\":\"f-instance\",\"type\":\"Recon:EC2/PortProbeUnprotectedPort\","
                                + "\"resource\":{\"resourceType\":\"Instance\"}}");

                List<String> forwarded = new ArrayList<>();
                List<Message> batch;
                do {
                    batch = sqs.receiveMessage(r -> r.queueUrl(queue).maxNumberOfMessages(10)).messages();
                    for (Message message : batch) {
                        JsonNode detail = new ObjectMapper().readTree(message.body()).path("detail");
                        forwarded.add(detail.path("eventTypeCode").asText(detail.path("id").asText()));
                        sqs.deleteMessage(r -> r.queueUrl(queue).receiptHandle(message.receiptHandle()));
                    }
                } while (!batch.isEmpty());

                List<String> expected = new ArrayList<>(CODES);
                expected.add("f-key");
                assertEquals(expected.stream().sorted().toList(), forwarded.stream().sorted().toList(), template);
            }
        }
    }

    private static void put(EventBridgeClient events, String bus, String source, String detailType, String detail) {
        events.putEvents(r -> r.entries(e -> e.eventBusName(bus).source(source).detailType(detailType).detail(detail)));
    }

    /** Every rule's EventPattern, as the JSON EventBridge receives (CloudFormation's intrinsic tags play no part). */
    private static List<String> eventPatterns(String template) throws IOException {
        JsonNode resources = new YAMLMapper().readTree(Path.of("cloudformation", template).toFile())
                .path("Resources");
        List<String> patterns = new ArrayList<>();
        for (Map.Entry<String, JsonNode> resource : resources.properties()) {
            if ("AWS::Events::Rule".equals(resource.getValue().path("Type").asText())) {
                patterns.add(resource.getValue().path("Properties").path("EventPattern").toString());
            }
        }
        return patterns;
    }
}
