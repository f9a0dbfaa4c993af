package com.leakedkeybot.investigation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.leakedkeybot.testkit.CloudTrailDatasets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Panther's detection rules come with events they must alert on. For rules whose meaning is unambiguous, every such
 * event must land in the category the rule detects. (Left out on purpose: aws_add_malicious_lambda_extension, whose
 * synthetic events carry the layer only in the response; a function's response lists its layers whatever was
 * changed, so the classifier looks at the request, as real CloudTrail records it.)
 */
class PantherClassificationTest {

    private static final EventClassifier CLASSIFIER = EventClassifier.standard();

    private static final Map<String, EventCategory> RULES = Map.ofEntries(
            Map.entry("aws_cloudtrail_stopped", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_cloudtrail_event_selectors_disabled", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_cloudtrail_short_lifecycle", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_security_configuration_change", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_dns_logs_deleted", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_vpc_flow_logs_deleted", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_config_service_disabled_deleted", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_bedrock_deletemodelinvocationloggingconfiguration", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_s3_disable_bucket_logging", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_ec2_ebs_encryption_disabled", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_cloudtrail_attempt_to_leave_org", EventCategory.DEFENSE_EVASION),
            Map.entry("aws_iam_user_key_created", EventCategory.PERSISTENCE),
            Map.entry("aws_iam_create_user", EventCategory.PERSISTENCE),
            Map.entry("aws_iam_create_role", EventCategory.PERSISTENCE),
            Map.entry("aws_iam_backdoor_role", EventCategory.PERSISTENCE),
            Map.entry("aws_user_login_profile_modified", EventCategory.PERSISTENCE),
            Map.entry("aws_cloudtrail_loginprofilecreatedormodified", EventCategory.PERSISTENCE),
            Map.entry("aws_backdoor_lambda_function", EventCategory.PERSISTENCE),
            Map.entry("aws_overwrite_lambda_code", EventCategory.PERSISTENCE),
            Map.entry("aws_iam_attach_admin_user_policy", EventCategory.PRIVILEGE_ESCALATION),
            Map.entry("aws_iam_attach_admin_role_policy", EventCategory.PRIVILEGE_ESCALATION),
            Map.entry("aws_key_compromised", EventCategory.PRIVILEGE_ESCALATION),
            Map.entry("aws_snapshot_made_public", EventCategory.EXFILTRATION),
            Map.entry("aws_ami_modified_for_public_access", EventCategory.EXFILTRATION),
            Map.entry("aws_rds_snapshot_shared", EventCategory.EXFILTRATION),
            Map.entry("aws_s3_delete_public_access_block", EventCategory.EXFILTRATION),
            Map.entry("aws_secretsmanager_retrieve_secrets", EventCategory.CREDENTIAL_ACCESS),
            Map.entry("aws_secretsmanager_retrieve_secrets_batch", EventCategory.CREDENTIAL_ACCESS),
            Map.entry("aws_ssm_decrypt_ssm_params", EventCategory.CREDENTIAL_ACCESS),
            Map.entry("aws_ec2_many_passwors_read_attempts", EventCategory.CREDENTIAL_ACCESS),
            Map.entry("aws_ec2_download_instance_user_data", EventCategory.CREDENTIAL_ACCESS),
            Map.entry("aws_ssm_distributed_command", EventCategory.EXECUTION),
            Map.entry("aws_ec2_multi_instance_connect", EventCategory.EXECUTION),
            Map.entry("aws_ec2_startup_script_change", EventCategory.EXECUTION),
            Map.entry("aws_sts_getsessiontoken_misuse", EventCategory.TEMPORARY_CREDENTIALS),
            Map.entry("aws_console_getsignintoken", EventCategory.TEMPORARY_CREDENTIALS));

    static List<String> rules() {
        return RULES.keySet().stream().sorted().toList();
    }

    @ParameterizedTest
    @MethodSource("rules")
    void alertingEventsLandInTheCategoryTheRuleDetects(String rule) {
        List<TrailEvent> events = CloudTrailDatasets.pantherAlertingTests(rule).stream()
                .map(e -> TrailEvent.parse(e.toString())).toList();
        assertFalse(events.isEmpty(), rule + " has alerting test events");
        Set<EventCategory> categories = events.stream().map(e -> CLASSIFIER.classify(e).category()).collect(Collectors.toSet());
        assertEquals(Set.of(RULES.get(rule)), categories, rule);
    }
}
