package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.FlowfnLocalProcess;
import dev.flowfn.bench.infra.Jars;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.client.ControlClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 8 (issue 8): the HTTP trigger on {@code flowfn local}. Latency of a no-op function
 * behind an anonymous route at a fixed rate (open loop: requests leave on schedule, whatever the
 * answers do), and the saturation throughput of 50 closed-loop clients. Baseline, in the same run
 * and the same gateway: requests for a path with no route, which the gateway answers itself (HTTP
 * stack only, no Kafka, no job).
 */
final class HttpScenario {

    private static final int CLIENTS = 50;

    private final Duration measure;

    HttpScenario(Duration measure) {
        this.measure = measure;
    }

    void run(Report.Scenario s, FlowfnLocalProcess local) throws Exception {
        ControlClient client = local.client();
        client.deploy(
                new DeployRequest(
                        "http-noop",
                        Noop.class.getName(),
                        null,
                        null,
                        64,
                        null,
                        List.of("http:route=/noop,methods=GET,auth=anonymous"),
                        null,
                        null,
                        null,
                        null),
                "noop.jar",
                Jars.of(Noop.class));
        String gateway = local.gatewayUrl();
        HttpClient http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .executor(Executors.newFixedThreadPool(8))
                        .build();
        URI function = URI.create(gateway + "/noop");
        URI noRoute = URI.create(gateway + "/no-such-route");
        openLoop(http, function, 100, Duration.ofSeconds(2)); // warm-up: code loading, connections

        // closed loop first: it limits itself, and leaves no backlog behind for the open loop
        double fnRate = saturation(function);
        double floorRate = saturation(noRoute);
        Thread.sleep(3_000);
        long[] fn = openLoop(http, function, 1_000, measure);
        Thread.sleep(3_000); // the open loop's backlog drains before the baseline
        long[] floor = openLoop(http, noRoute, 1_000, measure);
        s.row(
                new Report.Row(
                        "HTTP p99 request -> response at 1,000 req/s, no-op function",
                        pct(fn, 0.99),
                        pct(floor, 0.99),
                        "ms",
                        "the same gateway answering a path with no route (HTTP stack only)",
                        "p99 < 20 ms",
                        pct(fn, 0.99) < 20,
                        Map.of("answered", fn.length, "answeredBaseline", floor.length),
                        null));
        s.row(
                new Report.Row(
                        "HTTP p50 request -> response at 1,000 req/s, no-op function",
                        pct(fn, 0.50),
                        pct(floor, 0.50),
                        "ms",
                        "the same gateway answering a path with no route (HTTP stack only)",
                        "none set",
                        null,
                        Map.of(),
                        null));
        s.row(
                new Report.Row(
                        "HTTP saturation, " + CLIENTS + " clients, no-op function",
                        fnRate,
                        floorRate,
                        "req/s",
                        "the same clients on a path with no route",
                        "none set",
                        null,
                        Map.of(),
                        null));
        s.note(
                "open loop at 1,000 req/s for "
                        + measure.toSeconds()
                        + " s (latencies of answered requests; "
                        + fn.length
                        + " answered), then "
                        + CLIENTS
                        + " closed-loop clients for "
                        + measure.toSeconds()
                        + " s; Java's HttpClient as the load generator, on the same 2 cores as the platform");
    }

    /**
     * Sends {@code rate} requests per second for {@code duration}; returns the sorted latencies in
     * µs.
     */
    private static long[] openLoop(HttpClient http, URI uri, int rate, Duration duration)
            throws Exception {
        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<CompletableFuture<Long>> pending = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        for (long next = start; next < end; next += intervalNanos) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            long sent = next; // latency from the scheduled send time: no coordinated omission
            pending.add(
                    http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                            .thenApply(r -> (System.nanoTime() - sent) / 1000)
                            .exceptionally(e -> -1L));
        }
        return pending.stream()
                .mapToLong(CompletableFuture::join)
                .filter(v -> v >= 0)
                .sorted()
                .toArray();
    }

    private double saturation(URI uri) throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build();
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + measure.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            clients.submit(
                    () -> {
                        while (System.nanoTime() < end) {
                            try {
                                http.send(request, HttpResponse.BodyHandlers.discarding());
                                done.incrementAndGet();
                            } catch (Exception e) {
                                return;
                            }
                        }
                    });
        }
        clients.shutdown();
        clients.awaitTermination(measure.toSeconds() + 30, java.util.concurrent.TimeUnit.SECONDS);
        return done.get() / (double) measure.toSeconds();
    }

    private static double pct(long[] sortedMicros, double p) {
        if (sortedMicros.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sortedMicros.length - 1, Math.ceil(p * sortedMicros.length) - 1);
        return sortedMicros[Math.max(0, i)] / 1000.0;
    }
}
