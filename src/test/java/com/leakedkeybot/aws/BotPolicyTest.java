package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import com.leakedkeybot.testkit.BotPolicy;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkClient;

/**
 * The bot's IAM policy (iam/leaked-key-bot-policy.json) must grant every AWS operation the code calls, and nothing
 * else. The operations are found by reading the main sources for calls to SDK client methods.
 */
class BotPolicyTest {

    /** SDK client interface → IAM service prefix. Add a line when the bot starts using a new service. */
    private static final Map<String, String> CLIENTS = Map.of(
            "software.amazon.awssdk.services.iam.IamClient", "iam",
            "software.amazon.awssdk.services.sts.StsClient", "sts",
            "software.amazon.awssdk.services.cloudtrail.CloudTrailClient", "cloudtrail",
            "software.amazon.awssdk.services.ec2.Ec2Client", "ec2",
            "software.amazon.awssdk.services.dynamodb.DynamoDbClient", "dynamodb",
            "software.amazon.awssdk.services.secretsmanager.SecretsManagerClient", "secretsmanager",
            "software.amazon.awssdk.services.lambda.LambdaClient", "lambda",
            "software.amazon.awssdk.services.s3.S3Client", "s3",
            "software.amazon.awssdk.services.sqs.SqsClient", "sqs");

    /** Operations IAM authorises under other names (S3's, mostly). */
    private static final Map<String, List<String>> IAM_ACTIONS = Map.of(
            "s3:ListObjectsV2", List.of("s3:ListBucket"),
            "s3:ListObjectVersions", List.of("s3:ListBucketVersions"),
            // Copying a version over its key: reading that version, writing the key.
            "s3:CopyObject", List.of("s3:GetObjectVersion", "s3:PutObject"));

    /**
     * Operations made without a client method the scan can see, by the text that gives them away: the SDK's
     * assume-role credentials provider, and the one call signed by hand for want of the SDK's client.
     */
    private static final Map<String, String> CALLED_OTHERWISE = Map.of(
            "import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;", "sts:AssumeRole",
            "\"AWSOrganizationsV20161128.DescribeAccount\"", "organizations:DescribeAccount");

    @Test
    void thePolicyGrantsExactlyTheOperationsTheCodeCalls() throws IOException {
        Set<String> called = operationsCalledByMainCode();
        Set<String> granted = BotPolicy.actions();
        assertFalse(called.isEmpty());
        assertEquals(granted, called, "iam/leaked-key-bot-policy.json must list exactly the actions the code calls");
    }

    @Test
    void thePolicyGrantsNoWildcardsAndKeysAreDeletedOnlyByRetirementAndCleanUp() throws IOException {
        Set<String> granted = BotPolicy.actions();
        assertTrue(granted.stream().noneMatch(a -> a.contains("*")), granted.toString());
        // A leaked key is deactivated first; only the approved retirement after a rotation deletes it, the clean-up
        // deletes keys the attacker created, and a member account's root key (which no API can deactivate) goes only
        // through a root session.
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            List<Path> deleting = files.filter(f -> source(f).contains("iam.deleteAccessKey(")).sorted().toList();
            assertEquals(List.of(Path.of("src/main/java/com/leakedkeybot/aws/IamOldKeys.java"),
                    Path.of("src/main/java/com/leakedkeybot/aws/IamUserRemoval.java"),
                    Path.of("src/main/java/com/leakedkeybot/aws/RootSessions.java")), deleting);
        }
    }

    @Test
    void thePolicyFitsInAManagedPolicy() {
        // IAM's quota for a managed policy, whitespace not counted (an inline role policy may hold 10,240).
        assertTrue(BotPolicy.json().replaceAll("\\s", "").length() <= 6_144);
    }

    private static String source(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The bot's calls: the sandbox's own (playing a drill's attacker against moto) are not the bot's to be granted. */
    static Set<String> operationsCalledByMainCode() throws IOException {
        Set<String> operations = new TreeSet<>();
        Path sandbox = Path.of("src/main/java/com/leakedkeybot/sandbox");
        try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java") && !f.startsWith(sandbox)).toList()) {
                String source = Files.readString(file);
                CALLED_OTHERWISE.forEach((text, operation) -> {
                    if (source.contains(text)) {
                        operations.add(operation);
                    }
                });
                for (Map.Entry<String, String> client : CLIENTS.entrySet()) {
                    if (source.contains("import " + client.getKey() + ";")) {
                        operations.addAll(calledOperations(source, client.getKey(), client.getValue()));
                    }
                }
            }
        }
        return operations;
    }

    private static Set<String> calledOperations(String source, String clientClass, String prefix) {
        Set<String> operationMethods = operationMethods(clientClass);
        Set<String> found = new TreeSet<>();
        Matcher call = Pattern.compile("\\.(\\w+)\\(").matcher(source);
        while (call.find()) {
            String method = call.group(1);
            if (operationMethods.contains(method)) {
                String operation = method.replaceFirst("Paginator$", "");
                String name = prefix + ":" + Character.toUpperCase(operation.charAt(0)) + operation.substring(1);
                found.addAll(IAM_ACTIONS.getOrDefault(name, List.of(name)));
            }
        }
        return found;
    }

    private static Set<String> operationMethods(String clientClass) {
        try {
            Set<String> inherited = Arrays.stream(SdkClient.class.getMethods()).map(Method::getName)
                    .collect(Collectors.toSet());
            return Arrays.stream(Class.forName(clientClass).getMethods())
                    .map(Method::getName)
                    .filter(name -> !inherited.contains(name) && !name.equals("utilities") && !name.equals("waiter")
                            && !name.equals("builder") && !name.equals("create"))
                    .collect(Collectors.toSet());
        } catch (ClassNotFoundException e) {
            throw new AssertionError(clientClass + " is not on the classpath", e);
        }
    }
}
