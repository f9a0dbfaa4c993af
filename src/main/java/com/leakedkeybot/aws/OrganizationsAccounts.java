package com.leakedkeybot.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.remediation.port.AwsActionFailure;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * {@code organizations:DescribeAccount}, for naming accounts in threads. The SDK's Organizations client is not among
 * the bot's dependencies (the package registry the build uses does not carry it), so this one JSON call is signed
 * with the SDK's own SigV4 signer and sent with its HTTP client; replace it with {@code OrganizationsClient} once the
 * module can be had. Organizations is a global service, signed for us-east-1.
 */
public final class OrganizationsAccounts implements AutoCloseable {

    static final String DESCRIBE_ACCOUNT = "AWSOrganizationsV20161128.DescribeAccount";
    private static final URI PUBLIC_ENDPOINT = URI.create("https://organizations.us-east-1.amazonaws.com/");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final AwsTarget target;
    private final SdkHttpClient http = UrlConnectionHttpClient.create();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    public OrganizationsAccounts(AwsTarget target) {
        this.target = target;
    }

    /**
     * @return the account's name; empty when it has none
     * @throws AwsActionFailure when Organizations refuses (not the management or a delegated administrator account,
     *                          no organization, no such account) or cannot be reached
     */
    public Optional<String> nameOf(String account) {
        byte[] body = JSON.createObjectNode().put("AccountId", account).toString().getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.POST)
                .uri(target.endpoint().orElse(PUBLIC_ENDPOINT))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", DESCRIBE_ACCOUNT)
                .build();
        try {
            SignedRequest signed = signer.sign(r -> r.identity(target.credentials().resolveCredentials())
                    .request(request).payload(ContentStreamProvider.fromByteArray(body))
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "organizations")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request()).contentStreamProvider(signed.payload().orElse(null)).build()).call();
            JsonNode answer = read(response);
            if (response.httpResponse().isSuccessful()) {
                return Optional.ofNullable(answer.path("Account").path("Name").textValue());
            }
            String type = answer.path("__type").asText("Unknown");
            String code = type.substring(type.indexOf('#') + 1);
            throw failure(code.equals("AccessDeniedException") ? AwsActionFailure.Kind.ACCESS_DENIED
                    : AwsActionFailure.Kind.OTHER, code + " — " + answer.path("Message").asText(
                            answer.path("message").asText("")));
        } catch (IOException | SdkClientException e) {
            throw failure(AwsActionFailure.Kind.OTHER, e.getClass().getSimpleName());
        }
    }

    private static AwsActionFailure failure(AwsActionFailure.Kind kind, String message) {
        return new AwsActionFailure(kind, "organizations:DescribeAccount", message);
    }

    private static JsonNode read(HttpExecuteResponse response) throws IOException {
        Optional<? extends InputStream> body = response.responseBody();
        if (body.isEmpty()) {
            return JSON.createObjectNode();
        }
        try (InputStream in = body.get()) {
            return JSON.readTree(in);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
