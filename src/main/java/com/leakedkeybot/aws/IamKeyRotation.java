package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.KeyRotation;
import java.util.List;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.iam.model.StatusType;
import software.amazon.awssdk.services.iam.model.Tag;

/** A user's keys ({@code iam:ListAccessKeys}), a new one ({@code iam:CreateAccessKey}), its owner's Slack tag. */
public final class IamKeyRotation implements KeyRotation {

    /** The IAM user tag that names its owner's Slack user id, so a new key's whereabouts reach the right person. */
    public static final String SLACK_USER_TAG = "slack-user-id";

    private final IamClient iam;

    public IamKeyRotation(IamClient iam) {
        this.iam = iam;
    }

    @Override
    public List<Key> keys(String userName) {
        try {
            return iam.listAccessKeysPaginator(r -> r.userName(userName)).accessKeyMetadata().stream()
                    .map(k -> new Key(k.accessKeyId(), k.status() == StatusType.ACTIVE, k.createDate())).toList();
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListAccessKeys", e);
        }
    }

    @Override
    public NewKey create(String userName) {
        try {
            AccessKey key = iam.createAccessKey(r -> r.userName(userName)).accessKey();
            return new NewKey(key.accessKeyId(), key.secretAccessKey());
        } catch (SdkException e) {
            throw AwsFailures.of("iam:CreateAccessKey", e);
        }
    }

    @Override
    public String slackUserOf(String userName) {
        try {
            return iam.listUserTagsPaginator(r -> r.userName(userName)).tags().stream()
                    .filter(tag -> SLACK_USER_TAG.equals(tag.key())).map(Tag::value).findFirst().orElse(null);
        } catch (SdkException e) {
            throw AwsFailures.of("iam:ListUserTags", e);
        }
    }
}
