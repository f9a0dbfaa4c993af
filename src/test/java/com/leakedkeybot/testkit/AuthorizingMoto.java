package com.leakedkeybot.testkit;

import com.leakedkeybot.sandbox.MotoServer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * A moto of its own that enforces IAM auth ({@link MotoServer#startEnforcingAuth}), with an administrator to set up
 * and read back AWS state, and IAM users allowed exactly the actions a test chooses — to run the bot with a policy
 * that lacks a permission. moto matches a statement's Resource only for requests naming a role and for S3 (every
 * other request is checked against "*") and applies a Condition as if it held, so policies here allow their actions
 * on every resource. Build clients with {@link #iam}, {@link #ec2},
 * {@link #secretsManager}, {@link #sts} and {@link #s3}: they read moto's refusals as the SDK reads AWS's (see
 * {@link AuthErrorEnvelope}).
 */
public final class AuthorizingMoto implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String POLICY = "test-permissions";

    private final MotoServer moto;
    private final AwsCredentialsProvider admin;
    private final IamClient adminIam;

    private AuthorizingMoto(MotoServer moto, AwsCredentialsProvider admin) {
        this.moto = moto;
        this.admin = admin;
        this.adminIam = iam(admin);
    }

    public static AuthorizingMoto start() {
        AtomicReference<AwsCredentialsProvider> admin = new AtomicReference<>();
        MotoServer moto = MotoServer.startEnforcingAuth(endpoint -> {
            try (IamClient iam = AwsTestClients.iam(endpoint)) { // moto accepts anything until set-up is done
                admin.set(userAllowed(iam, "moto-admin", List.of("*")));
            }
        });
        return new AuthorizingMoto(moto, admin.get());
    }

    public URI endpoint() {
        return moto.endpoint();
    }

    /** @param more further interceptors, e.g. {@link FakePolicySimulator#routing()} */
    public IamClient iam(AwsCredentialsProvider as, ExecutionInterceptor... more) {
        return AwsTestClients.configured(IamClient.builder(), endpoint(), as).overrideConfiguration(c -> {
            c.addExecutionInterceptor(new AuthErrorEnvelope());
            List.of(more).forEach(c::addExecutionInterceptor);
        }).build();
    }

    public Ec2Client ec2(AwsCredentialsProvider as) {
        return AwsTestClients.configured(Ec2Client.builder(), endpoint(), as)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new AuthErrorEnvelope())).build();
    }

    public SecretsManagerClient secretsManager(AwsCredentialsProvider as) {
        return AwsTestClients.configured(SecretsManagerClient.builder(), endpoint(), as)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new AuthErrorEnvelope())).build();
    }

    public StsClient sts(AwsCredentialsProvider as) {
        return AwsTestClients.configured(StsClient.builder(), endpoint(), as)
                .overrideConfiguration(c -> c.addExecutionInterceptor(new AuthErrorEnvelope())).build();
    }

    /** Path-style, as {@link AwsTestClients#s3}; moto answers S3 refusals in S3's own envelope. */
    public S3Client s3(AwsCredentialsProvider as) {
        return AwsTestClients.configured(S3Client.builder(), endpoint(), as).forcePathStyle(true).build();
    }

    /** Allowed everything: for set-up and for reading the state a test asserts on. */
    public AwsCredentialsProvider admin() {
        return admin;
    }

    /** A new IAM user with one access key, allowed exactly {@code actions}; its key signs as that user. */
    public AwsCredentialsProvider userAllowed(String userName, Collection<String> actions) {
        return userAllowed(adminIam, userName, actions);
    }

    /** Replaces what the user is allowed: moto applies it to the user's very next request. */
    public void allow(String userName, Collection<String> actions) {
        adminIam.putUserPolicy(r -> r.userName(userName).policyName(POLICY).policyDocument(allowing(actions)));
    }

    @Override
    public void close() {
        adminIam.close();
        moto.close();
    }

    private static AwsCredentialsProvider userAllowed(IamClient iam, String userName, Collection<String> actions) {
        iam.createUser(r -> r.userName(userName));
        iam.putUserPolicy(r -> r.userName(userName).policyName(POLICY).policyDocument(allowing(actions)));
        AccessKey key = iam.createAccessKey(r -> r.userName(userName)).accessKey();
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(key.accessKeyId(), key.secretAccessKey()));
    }

    private static String allowing(Collection<String> actions) {
        ObjectNode policy = JSON.createObjectNode().put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject().put("Effect", "Allow").put("Resource", "*");
        actions.forEach(statement.putArray("Action")::add);
        return policy.toString();
    }

    /**
     * moto 5.2 refuses a request its auth check fails with {@code <ErrorResponse><Errors><Error>…}, an envelope no AWS
     * service sends, in which the SDK finds no error code at all. AWS's IAM answers {@code <ErrorResponse><Error>…},
     * EC2 {@code <Response><Errors><Error>…}: rewriting the envelope to the service's own makes the SDK read moto's
     * refusal as it reads AWS's. The error code, message and HTTP status stay moto's. (EC2 itself would say
     * UnauthorizedOperation where moto says AccessDenied; the bot treats both alike.)
     */
    private static final class AuthErrorEnvelope implements ExecutionInterceptor {

        private static final String MOTO = "<ErrorResponse><Errors><Error>";

        @Override
        public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
                                                              ExecutionAttributes attributes) {
            if (context.httpResponse().isSuccessful() || context.responseBody().isEmpty()) {
                return context.responseBody();
            }
            try {
                String body = new String(context.responseBody().get().readAllBytes(), StandardCharsets.UTF_8);
                if (body.contains(MOTO)) {
                    body = "Ec2".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
                            ? body.replace(MOTO, "<Response><Errors><Error>").replace("</ErrorResponse>", "</Response>")
                            : body.replace(MOTO, "<ErrorResponse><Error>").replace("</Errors>", "");
                }
                return Optional.of(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
