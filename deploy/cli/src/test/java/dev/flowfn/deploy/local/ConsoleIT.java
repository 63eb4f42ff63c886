package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Flaky;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.testing.TestJars;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in Debian's Chromium, driven by Selenium through the system chromedriver, against
 * a real local platform: sign in (a wrong token refused), deploy {@code hello} from the Deploy
 * page, invoke it, follow its log and invocations live, see a point on its invocations chart, open
 * a dead letter and run it again. Screenshots go to {@code target/console-screenshots/}.
 *
 * <p>The steps build on each other (what is deployed is then invoked), so they run in order on one
 * platform and one browser.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String HELLO_HANDLER = Upper.class.getName();
    private static final String HELLO_TRIGGER = "http:route=/hello,methods=POST,auth=anonymous";

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static String token;
    static ConsoleBrowser browser;

    @BeforeAll
    static void start() throws Exception {
        ConsoleBrowser.checkInstalled();
        platform = TestPlatforms.start(dir, TestPlatforms.SHORT_METERING_WINDOWS);
        client = TestPlatforms.client(platform, dir);
        token = ClientConfigFile.read(dir.resolve("client.json")).token();
        client.deploy(
                DeploySpecs.of("name", "flaky", "handler", Flaky.class.getName(), "retries", 0),
                "flaky.jar",
                TestJars.of(Flaky.class));
        browser =
                ConsoleBrowser.start(
                        platform.controlUrl(),
                        Path.of("target", "console-screenshots").toAbsolutePath(),
                        dir.resolve("chromium-profile"));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void aWrongTokenIsRefused() throws Exception {
        browser.open("/console/");
        browser.await("the sign-in page", d -> d.getCurrentUrl().endsWith("/console/login"));

        browser.type(By.id("token"), "not-the-token-" + token.length());
        browser.click(By.id("sign-in"));

        String message = browser.awaitText(By.id("login-message"), "Wrong token");
        assertThat(message).contains("client.json");
        assertThat(browser.driver().getPageSource())
                .doesNotContain("not-the-token-")
                .doesNotContain(token);
        assertThat(browser.driver().manage().getCookieNamed("flowfn_session")).isNull();
        browser.screenshot("01-wrong-token");
    }

    @Test
    @Order(2)
    void theTokenSignsInWithAnHttpOnlySameSiteCookie() throws Exception {
        browser.open("/console/login");
        browser.type(By.id("token"), token);
        browser.click(By.id("sign-in"));

        browser.await("the functions page", d -> d.getCurrentUrl().endsWith("#/functions"));
        browser.awaitText(By.cssSelector("#functions tr[data-function='flaky']"), "flaky");
        Cookie session = browser.driver().manage().getCookieNamed("flowfn_session");
        assertThat(session).isNotNull();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualTo("Strict");
        assertThat(session.getValue()).isNotEqualTo(token);
        assertThat(browser.driver().getPageSource()).doesNotContain(token);
        browser.screenshot("02-functions");
    }

    @Test
    @Order(3)
    void deploysHelloFromTheDeployPageWithTheClisValidation() throws Exception {
        Path jar = dir.resolve("hello.jar");
        Files.write(jar, TestJars.of(Upper.class));
        browser.open("/console/#/deploy");
        browser.type(By.id("deploy-name"), "My Func");
        browser.driver().findElement(By.id("deploy-jar")).sendKeys(jar.toString());
        browser.awaitText(By.id("jar-handlers"), HELLO_HANDLER, "the jar's handler classes");
        assertThat(browser.driver().findElement(By.id("deploy-handler")).getAttribute("value"))
                .as("the jar's only handler is chosen")
                .isEqualTo(HELLO_HANDLER);
        browser.click(By.id("deploy-submit"));

        String error =
                browser.awaitText(By.id("deploy-error"), "function name 'My Func' must match");
        browser.screenshot("03-deploy-refused");
        assertThat(error).contains("[a-z][a-z0-9-]{0,62}");

        browser.type(By.id("deploy-name"), "hello");
        browser.click(By.id("add-trigger"));
        browser.type(By.cssSelector("#deploy-triggers input.trigger"), HELLO_TRIGGER);
        browser.click(By.id("deploy-submit"));

        browser.awaitText(By.id("deployed-version"), "1");
        assertThat(browser.text(By.id("deploy-error"))).isEmpty();
        assertThat(client.describe("hello").handler()).isEqualTo(HELLO_HANDLER);
        assertThat(client.describe("hello").triggers()).containsExactly(HELLO_TRIGGER);
        browser.screenshot("04-deployed");
    }

    @Test
    @Order(4)
    void invokesHelloAndReadsTheResult() throws Exception {
        browser.open("/console/#/invoke/hello");
        browser.await(
                "hello in the function list",
                d ->
                        !d.findElements(By.cssSelector("#invoke-function option[value='hello']"))
                                .isEmpty());
        new Select(browser.driver().findElement(By.id("invoke-function"))).selectByValue("hello");
        browser.type(By.id("invoke-data"), "\"hello from the console\"");
        browser.click(By.id("invoke-submit"));

        String result = browser.awaitText(By.id("invoke-result"), "HELLO");
        assertThat(result).isEqualTo("\"HELLO FROM THE CONSOLE\"");
        assertThat(browser.text(By.id("invoke-result-table"))).contains("ok");
        browser.screenshot("05-invoked");
    }

    @Test
    @Order(5)
    void followsTheLogAndInvocationsLiveAndChartsTheInvocations() throws Exception {
        browser.open("/console/#/functions/hello");
        browser.awaitText(By.cssSelector("#spec-table"), HELLO_HANDLER);
        assertThat(browser.text(By.id("spec-table"))).contains(HELLO_TRIGGER);
        browser.awaitText(By.cssSelector("#versions-table tr[data-version='1']"), "latest");

        // invoked while the page is open: its log line and its row must come by themselves
        String id =
                client.invoke(
                                "hello",
                                "\"live\"".getBytes(StandardCharsets.UTF_8),
                                "application/json")
                        .invocationId();

        String line =
                browser.awaitText(
                        By.id("log-lines"), id + " upper-cased 6 bytes", "the live log line");
        assertThat(line).contains("DEBUG");
        browser.awaitText(
                By.cssSelector("#invocations-table tr[data-invocation='" + id + "']"), "ok");
        browser.await(
                "a point on the invocations chart",
                d ->
                        d
                                .findElements(
                                        By.cssSelector(
                                                "svg.chart[data-metric='invocations'] circle.point"))
                                .stream()
                                .anyMatch(
                                        c ->
                                                Double.parseDouble(c.getAttribute("data-value"))
                                                        >= 1));
        // per 10 seconds, with a call each second: points in more than one window
        new Select(browser.driver().findElement(By.id("chart-range"))).selectByValue("15m");
        By perTenSeconds =
                By.cssSelector(
                        "svg.chart[data-metric='invocations'][data-since='15m'] circle.point");
        browser.await(
                "two points on the invocations chart per 10 seconds",
                d -> {
                    client.invokeAsync(
                            "hello",
                            "\"more\"".getBytes(StandardCharsets.UTF_8),
                            "application/json");
                    return d.findElements(perTenSeconds).size() >= 2;
                });
        List<WebElement> charts = browser.driver().findElements(By.cssSelector("svg.chart"));
        assertThat(charts)
                .extracting(c -> c.getAttribute("data-metric"))
                .containsExactly("invocations", "errors", "p50", "p99", "gb-seconds", "cost");
        browser.screenshot("06-function");
    }

    @Test
    @Order(6)
    void opensADeadLetterAndRunsItAgain() throws Exception {
        String failed =
                client.invokeAsync(
                        "flaky", "\"fail\"".getBytes(StandardCharsets.UTF_8), "application/json");
        browser.open("/console/#/dead-letters");
        By row = By.cssSelector("#dead-letters tr[data-invocation='" + failed + "']");
        browser.awaitText(row, "HANDLER_ERROR", "the dead letter of " + failed);
        assertThat(browser.text(row)).contains("flaky").contains("asked to fail");
        browser.screenshot("07-dead-letters");

        browser.driver().findElement(row).findElement(By.cssSelector("a.open")).click();
        browser.awaitText(By.id("dl-reason"), "asked to fail");
        assertThat(browser.text(By.id("dl-data"))).isEqualTo("\"fail\"");
        browser.click(By.id("run-again"));
        String again = browser.awaitText(By.id("rerun-event-id"), "-");
        assertThat(again).isNotEqualTo(failed);
        browser.screenshot("08-run-again");

        // the event ran again (and failed again, as flaky does on "fail"): a new dead letter
        browser.open("/console/#/dead-letters");
        browser.awaitText(
                By.cssSelector("#dead-letters tr[data-invocation='" + again + "']"),
                "HANDLER_ERROR",
                "the dead letter of the run again, " + again);
        browser.screenshot("09-dead-letter-again");
    }

    @Test
    @Order(7)
    void deploysAPythonZipAndAnHttpFunctionWithTheirRuntimes() throws Exception {
        Path zip = dir.resolve("orders.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("handler.py"));
            out.write(
                    "def main(event, context):\n    return 'ok'\n"
                            .getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        browser.open("/console/#/deploy");
        browser.type(By.id("deploy-name"), "orders");
        new Select(browser.driver().findElement(By.id("deploy-runtime"))).selectByValue("python");
        browser.driver().findElement(By.id("deploy-jar")).sendKeys(zip.toString());
        browser.type(By.id("deploy-handler"), "handler.main");
        browser.click(By.id("deploy-submit"));
        String deployed = browser.awaitText(By.id("deploy-result"), "Deployed orders");
        assertThat(deployed).isEqualTo("Deployed orders version 1");
        assertThat(client.describe("orders").runtime()).isEqualTo("python");
        assertThat(client.describe("orders").codeUri()).endsWith(".zip");

        browser.open("/console/#/functions"); // the deploy page again, drawn afresh
        browser.open("/console/#/deploy");
        browser.type(By.id("deploy-name"), "remote");
        new Select(browser.driver().findElement(By.id("deploy-runtime"))).selectByValue("http");
        assertThat(browser.driver().findElement(By.id("deploy-jar")).isEnabled()).isFalse();
        browser.type(By.id("deploy-url"), "http://127.0.0.1:9/fn");
        browser.click(By.id("deploy-submit"));
        browser.awaitText(By.id("deployed-link"), "remote");
        assertThat(client.describe("remote").codeUri()).isEqualTo("http://127.0.0.1:9/fn");
        browser.screenshot("10-deployed-runtimes");

        browser.open("/console/#/functions/orders");
        browser.awaitText(By.tagName("main"), "python", "the runtime on the function page");
    }
}
