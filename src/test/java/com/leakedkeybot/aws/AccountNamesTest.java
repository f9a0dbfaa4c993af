package com.leakedkeybot.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.leakedkeybot.remediation.port.AwsActionFailure;
import com.leakedkeybot.sandbox.MotoServer;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accounts named from Organizations on a moto of its own (an organization is account-wide state): by name where the
 * bot may ask, by id where it may not, each account asked once.
 */
class AccountNamesTest {

    private static MotoServer moto;

    @BeforeAll
    static void start() {
        moto = MotoServer.start();
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    /** A JSON 1.1 call to moto's Organizations, as its management account. */
    private static String organizations(String operation, String body) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(moto.endpoint())
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "AWSOrganizationsV20161128." + operation)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=testing/20261204/us-east-1/organizations/"
                        + "aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    @Test
    void theManagementAccountNamesMemberAccountsFromOrganizations() throws Exception {
        organizations("CreateOrganization", "{\"FeatureSet\":\"ALL\"}");
        organizations("CreateAccount", "{\"AccountName\":\"payments-prod\",\"Email\":\"payments@example.com\"}");
        String listed = organizations("ListAccounts", "{}");
        String id = listed.replaceAll("(?s).*\"Id\":\\s*\"(\\d{12})\"[^}]*\"Name\":\\s*\"payments-prod\".*", "$1");
        OrganizationsAccounts organizations = new OrganizationsAccounts(
                AwsTarget.at(moto.endpoint(), "us-east-1", "testing", "testing"));

        assertEquals(Optional.of("payments-prod"), organizations.nameOf(id));
        AtomicInteger asked = new AtomicInteger();
        AccountNames names = new AccountNames(account -> {
            asked.incrementAndGet();
            return organizations.nameOf(account);
        });
        assertEquals("payments-prod", names.nameOf(id));
        assertEquals("payments-prod", names.nameOf(id));
        assertEquals(1, asked.get(), "cached");
        organizations.close();
    }

    @Test
    void whereOrganizationsRefusesAccountsAreNamedByIdAndItIsNotAskedAgain() {
        AtomicInteger asked = new AtomicInteger();
        AccountNames names = new AccountNames(account -> {
            asked.incrementAndGet();
            throw new AwsActionFailure(AwsActionFailure.Kind.ACCESS_DENIED, "organizations:DescribeAccount",
                    "AccessDeniedException — You don't have permissions to access this resource.");
        });
        assertNull(names.nameOf("210000000091"));
        assertNull(names.nameOf("210000000092"));
        assertEquals(1, asked.get());
    }
}
