package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flowfn.deploy.control.api.AlertView;
import dev.flowfn.deploy.control.api.UsageRow;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Flaky;
import dev.flowfn.testing.TestJars;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alert rules fire and resolve once each, reaching a webhook; Prometheus series move with traffic.
 */
class ObservabilityIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static HttpServer webhook;
    static final List<String> received = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext(
                "/alerts",
                exchange -> {
                    received.add(
                            new String(
                                    exchange.getRequestBody().readAllBytes(),
                                    StandardCharsets.UTF_8));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        webhook.start();
        platform = TestPlatforms.start(dir, TestPlatforms.SHORT_METERING_WINDOWS);
        client = TestPlatforms.client(platform, dir);
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "flaky",
                        "handler",
                        Flaky.class.getName(),
                        "retries",
                        0,
                        "alerts",
                        List.of("error-rate>50%/2s"),
                        "alertWebhook",
                        "http://127.0.0.1:" + webhook.getAddress().getPort() + "/alerts"),
                "flaky.jar",
                TestJars.of(Flaky.class));
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    @Test
    void anErrorRateRuleFiresOnceAndResolvesOnce() throws Exception {
        for (int i = 0; i < 30; i++) {
            client.invokeAsync(
                    "flaky", "\"fail\"".getBytes(StandardCharsets.UTF_8), "application/json");
        }
        awaitWebhook("FIRING");
        for (int round = 0; round < 6; round++) { // healthy traffic for three windows
            for (int i = 0; i < 10; i++) {
                client.invokeAsync(
                        "flaky", "\"fine\"".getBytes(StandardCharsets.UTF_8), "application/json");
            }
            Thread.sleep(1_000);
        }
        awaitWebhook("RESOLVED");
        Thread.sleep(5_000); // nothing more may come

        assertThat(received.stream().filter(b -> b.contains("\"FIRING\"")))
                .as(received.toString())
                .hasSize(1);
        assertThat(received.stream().filter(b -> b.contains("\"RESOLVED\"")))
                .as(received.toString())
                .hasSize(1);
        assertThat(received.get(0))
                .contains("\"function\":\"flaky\"")
                .contains("\"rule\":\"error-rate>50%/2s\"")
                .containsPattern(
                        "\"value\":\"(100\\.0|[5-9][0-9]\\.[0-9])%\""); // over the 50% threshold
        List<AlertView> alerts = client.alerts("1h");
        assertThat(alerts).extracting(AlertView::state).containsExactly("FIRING", "RESOLVED");
        UsageRow usage = client.usage("flaky", "1h", null).get(0);
        assertThat(new long[] {usage.errors(), usage.deadLetters()})
                .as("every failing invocation metered once, as an error and a dead letter")
                .containsExactly(30, 30);
    }

    @Test
    void prometheusSeriesMoveWithTheTraffic() throws Exception {
        client.invoke("flaky", "\"fine\"".getBytes(StandardCharsets.UTF_8), "application/json");
        long before = invocations(scrape());
        for (int i = 0; i < 5; i++) {
            client.invoke("flaky", "\"fine\"".getBytes(StandardCharsets.UTF_8), "application/json");
        }
        String after = scrape();
        assertThat(invocations(after)).as(after).isEqualTo(before + 5);
        assertThat(after)
                .contains("flowfn_function_duration_ms{function=\"flaky\"")
                .contains("flowfn_function_in_flight{function=\"flaky\"")
                .contains("flowfn_http_requests_total{server=\"api\",status=\"200\"}");
    }

    private static String scrape() throws Exception {
        HttpResponse<String> r =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(platform.controlUrl() + "/metrics"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    /** The invocations of flaky, summed over subtasks. */
    private static long invocations(String metrics) {
        Matcher m =
                Pattern.compile(
                                "flowfn_function_invocations_total\\{function=\"flaky\",subtask=\"\\d+\"} (\\d+)")
                        .matcher(metrics);
        long sum = 0;
        while (m.find()) {
            sum += Long.parseLong(m.group(1));
        }
        return sum;
    }

    private static void awaitWebhook(String state) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
        while (received.stream().noneMatch(b -> b.contains("\"" + state + "\""))
                && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertThat(received)
                .as("the webhook got a " + state + " alert")
                .anyMatch(b -> b.contains("\"" + state + "\""));
    }
}
