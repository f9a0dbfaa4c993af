package com.leakedkeybot.sandbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.leakedkeybot.aws.AwsClients;
import com.leakedkeybot.aws.AwsTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Isolated;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import software.amazon.awssdk.services.iam.model.AccessKeyMetadata;

/**
 * The exfiltration drill played from the page in headless Chromium, the way a person would: only through the page's
 * contract (the Message box, the Acting as select, buttons by their text, confirm dialogs, "Only visible to you").
 * Debian's chromium and chromedriver are used as installed; nothing is downloaded.
 */
// Alone on the two cores: the browser, moto and the sandbox are the heaviest test there is, and its budget is 60 s.
@Isolated
class SandboxBrowserTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static Sandbox sandbox;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        sandbox = Sandbox.start(0, Scenario.named("exfiltration").orElseThrow());
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium")
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        browser = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void theReporterReportsTheNonApproverIsRefusedPrivatelyAndAnApproverDeactivatesTheKey() throws Exception {
        String key = sandbox.leakedKeyId();
        browser.get(sandbox.url().toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("leaked-key"), key));

        actAs("reporter");
        WebElement message = browser.findElement(By.cssSelector("[aria-label='Message']"));
        message.sendKeys("/leaked-key " + key, Keys.ENTER);
        wait.until(ExpectedConditions.elementToBeClickable(buttonNamed("Deactivate key")));
        assertTrue(browser.findElement(By.id("messages")).getText().contains("Only visible to you"),
                "the reporter is answered privately");

        actAs("not an approver");
        clickConfirming(wait, "Deactivate key");
        String refusal = wait.ignoring(StaleElementReferenceException.class).until(driver -> driver.findElement(
                By.xpath("//*[contains(@class,'ephemeral')][contains(., 'approver')]")).getText());
        assertTrue(refusal.contains("Only visible to you"), refusal);
        assertEquals("Active", leakedKey().statusAsString(), "a refusal changes nothing");

        actAs("(approver)");
        wait.until(ExpectedConditions.invisibilityOfElementLocated(
                By.xpath("//*[contains(@class,'ephemeral')][contains(., 'approver')]")));
        clickConfirming(wait, "Deactivate key");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("messages"), "Inactive"));
        assertEquals("Inactive", leakedKey().statusAsString(), "moto agrees");

        Path screenshot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("docs"));
        Files.copy(screenshot, Path.of("docs/sandbox.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Either test may run first: a reset leaves the exfiltration drill fresh. */
    @Test
    void resettingStartsTheChosenDrillAfresh() {
        browser.get(sandbox.url().toString());
        WebDriverWait wait = new WebDriverWait(browser, WAIT);
        String before = sandbox.leakedKeyId();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("leaked-key"), before));

        new Select(browser.findElement(By.cssSelector("select[aria-label='Scenario']"))).selectByValue("exfiltration");
        browser.findElement(By.id("reset")).click();
        browser.findElement(By.cssSelector("[role='dialog']")).findElements(By.tagName("button")).get(0).click();

        String after = wait.until(driver -> {
            String shown = driver.findElement(By.id("leaked-key")).getText();
            return shown.matches("AKIA[A-Z0-9]{16}") && !shown.equals(before) ? shown : null;
        });
        assertEquals(sandbox.leakedKeyId(), after);
        assertEquals("exfiltration", browser.findElement(By.id("scenario")).getText());
        assertEquals("", browser.findElement(By.id("messages")).getText(), "the channel starts empty");
    }

    /** Picks the first person whose option names {@code role}. */
    private static void actAs(String role) {
        Select actingAs = new Select(browser.findElement(By.cssSelector("select[aria-label='Acting as']")));
        List<WebElement> options = actingAs.getOptions();
        WebElement option = options.stream().filter(o -> o.getText().contains(role)).findFirst().orElseThrow();
        actingAs.selectByVisibleText(option.getText());
    }

    /** The page redraws as the bot posts, so a button found may be gone by the click: find and click again. */
    private static void clickConfirming(WebDriverWait wait, String buttonText) {
        wait.ignoring(StaleElementReferenceException.class).until(driver -> {
            driver.findElement(buttonNamed(buttonText)).click();
            return true;
        });
        List<WebElement> dialogs = browser.findElements(By.cssSelector("[role='dialog']"));
        if (!dialogs.isEmpty()) {
            dialogs.get(0).findElements(By.tagName("button")).get(0).click();
        }
    }

    private static By buttonNamed(String text) {
        return By.xpath("//button[normalize-space(.)='" + text + "']");
    }

    private static AccessKeyMetadata leakedKey() {
        try (AwsClients aws = AwsClients.at(AwsTarget.at(sandbox.awsEndpoint(), "us-east-1", "test", "test"))) {
            return aws.iam().listAccessKeys(r -> r.userName(ExfiltrationScenario.OWNER)).accessKeyMetadata().get(0);
        }
    }
}
