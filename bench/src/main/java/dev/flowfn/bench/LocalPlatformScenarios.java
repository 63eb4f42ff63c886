package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.fns.Sleep;
import dev.flowfn.bench.fns.Stamp;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.FlowfnLocalProcess;
import dev.flowfn.bench.infra.Jars;
import dev.flowfn.bench.infra.Memory;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenarios 5, 7's first part and 8, on {@code flowfn local} as a user starts it (its own process
 * tree): resident memory of the idle platform, then cold starts through the control API, then the
 * HTTP trigger.
 */
final class LocalPlatformScenarios {

    /**
     * One invocation through the control API: its wall time and when the handler started after it
     * was sent.
     */
    private record Call(double totalMs, double toHandlerMs) {}

    private final Profile profile;
    private final Path home;
    private final Path dir;

    LocalPlatformScenarios(Profile profile, Path home, Path dir) {
        this.profile = profile;
        this.home = home;
        this.dir = dir;
    }

    /** The parts {@code only} names: 7's resident memory, 5, 8, 10; in that order. */
    void run(Report report, java.util.Set<Integer> only) throws Exception {
        Duration idleUnload = profile.localIdleUnload();
        try (FlowfnLocalProcess local =
                FlowfnLocalProcess.start(
                        home,
                        dir.resolve("flowfn-local"),
                        List.of(
                                "--conf",
                                "flowfn.dispatch.idle-unload=" + idleUnload.toSeconds() + "s"),
                        Duration.ofMinutes(3))) {
            if (only.contains(7)) {
                idleMemory(report.scenario(7, "Memory"), local);
            }
            if (only.contains(5)) {
                coldStarts(report.scenario(5, "Cold start"), local, idleUnload);
            }
            if (only.contains(8)) {
                new HttpScenario(profile.latencyMeasure(), idleUnload)
                        .run(report.scenario(8, "HTTP trigger (issue 8)"), local);
            }
            if (only.contains(10)) {
                new AliasMoveScenario(profile.aliasMoves())
                        .run(report.scenario(10, "Alias move"), local);
            }
        }
    }

    private void idleMemory(Report.Scenario s, FlowfnLocalProcess local) {
        Clock.sleep(profile.idleSettle().toMillis());
        Map<String, Long> rss = local.residentMemory();
        long total = rss.values().stream().mapToLong(Long::longValue).sum();
        long engines =
                rss.entrySet().stream()
                        .filter(e -> !e.getKey().startsWith("launcher"))
                        .mapToLong(Map.Entry::getValue)
                        .sum();
        Map<String, Object> d = new LinkedHashMap<>();
        rss.forEach((k, v) -> d.put(k + " MiB", Memory.mib(v)));
        d.put("startSeconds", Math.round(local.startSeconds() * 10) / 10.0);
        d.put("idleSeconds", profile.idleSettle().toSeconds());
        double gib = total / 1024.0 / 1024 / 1024;
        s.row(
                new Report.Row(
                        "resident memory of an idle flowfn local, all processes",
                        total / 1048576.0,
                        engines / 1048576.0,
                        "MiB",
                        "its engine JVMs alone (Kafka broker + S3 store)",
                        "< 2 GiB (2048 MiB)",
                        gib < 2,
                        d,
                        "VmRSS summed over the launcher (-Xmx1g, as ./flowfn starts it) and its child JVMs, "
                                + profile.idleSettle().toSeconds()
                                + " s after it printed that it is running, nothing deployed"));
    }

    private void coldStarts(Report.Scenario s, FlowfnLocalProcess local, Duration idleUnload)
            throws Exception {
        ControlClient client = local.client();
        byte[] small = Jars.of(Stamp.class, Noop.class, Sleep.class);
        byte[] big = Jars.padded(profile.bigJarBytes(), Stamp.class);
        // the platform's first deploy and first code fetch pay one-time costs (JIT, S3 client and
        // bucket, class loading of the control server's paths): measured, kept apart in the details
        Map<String, Object> firstAfterStart = new LinkedHashMap<>();
        coldStart(client, "cold-first", small, firstAfterStart);
        Map<String, Object> smallD = new LinkedHashMap<>();
        Map<String, Object> bigD = new LinkedHashMap<>();
        coldStart(client, "cold-small", small, smallD);
        coldStart(client, "cold-big", big, bigD);
        // reloading after the idle unload: the jar is in the local cache, so this is class loading
        // alone
        long sweep = Math.max(1_000, idleUnload.toMillis() / 4); // the job's unload sweep period
        Clock.sleep(idleUnload.toMillis() + 2 * sweep + 1_000);
        smallD.put("afterIdleUnloadToHandlerMs", round(call(client, "cold-small").toHandlerMs()));
        bigD.put("afterIdleUnloadToHandlerMs", round(call(client, "cold-big").toHandlerMs()));
        smallD.put("firstDeployAfterPlatformStart", firstAfterStart);
        s.runtime(deployedRuntime((String) smallD.get("runtime")));

        for (var entry : List.of(Map.entry("small jar", smallD), Map.entry("30 MB jar", bigD))) {
            Map<String, Object> d = entry.getValue();
            double deployToResult = (double) d.get("deployToFirstResultMs");
            double warm = (double) d.get("warmInvokeMs");
            s.row(
                    new Report.Row(
                            "deploy -> first committed result, "
                                    + entry.getKey()
                                    + " ("
                                    + size(((Number) d.get("jarBytes")).longValue())
                                    + ")",
                            deployToResult,
                            warm,
                            "ms",
                            "a warm invocation of it (median)",
                            "< 1 s",
                            deployToResult < 1000,
                            d,
                            null,
                            "deploy "
                                    + d.get("deployMs")
                                    + " + invoke "
                                    + d.get("firstInvokeMs")
                                    + " ms",
                            null));
        }
        for (var entry : List.of(Map.entry("small jar", smallD), Map.entry("30 MB jar", bigD))) {
            Map<String, Object> d = entry.getValue();
            double cold = (double) d.get("firstToHandlerMs");
            double warm = (double) d.get("warmToHandlerMs");
            s.row(
                    new Report.Row(
                            "first invocation of a freshly deployed version, invoke -> handler start, "
                                    + entry.getKey(),
                            cold,
                            warm,
                            "ms",
                            "a warm invocation, invoke -> handler start (median)",
                            "< 100 ms over the warm one (loading)",
                            cold - warm < 100,
                            d,
                            null,
                            "reload after idle unload, jar cached: "
                                    + d.get("afterIdleUnloadToHandlerMs")
                                    + " ms",
                            null));
        }
        s.note(
                "through the control API of flowfn local (checkpoint interval 1 s): deploy (upload, jar check, S3,"
                        + " registry write and the server's wait until its view shows it), then a synchronous invoke that"
                        + " returns once the result is committed. The 30 MB jar holds the handler and real library classes"
                        + " it never loads. Measured after one throwaway deploy, so one-time costs of a freshly started"
                        + " platform are not counted (they are in the details: firstDeployAfterPlatformStart)");
        s.note(
                "invoke -> handler start is the handler's own clock minus the client's send time: the first"
                        + " invocation's extra time is fetching the jar from S3, checking its SHA-256 and loading the handler"
                        + " class, plus at most the wait for the registry");
    }

    private void coldStart(ControlClient client, String name, byte[] jar, Map<String, Object> d) {
        DeployRequest spec =
                new DeployRequest(
                        name,
                        Stamp.class.getName(),
                        256,
                        "10s",
                        16,
                        0,
                        List.of(),
                        Map.of(),
                        null,
                        null,
                        null,
                        null,
                        null,
                        "java-embedded",
                        null);
        long t0 = System.nanoTime();
        String runtime = client.deploy(spec, name + ".jar", jar).runtime();
        double deployMs = (System.nanoTime() - t0) / 1e6;
        Call first = call(client, name);
        double deployToResult = (System.nanoTime() - t0) / 1e6;
        List<Call> warm = new ArrayList<>();
        for (int i = 0; i < profile.warmInvocations(); i++) {
            warm.add(call(client, name));
        }
        d.put("runtime", runtime);
        d.put("jarBytes", jar.length);
        d.put("deployMs", round(deployMs));
        d.put("deployToFirstResultMs", round(deployToResult));
        d.put("firstInvokeMs", round(first.totalMs()));
        d.put("firstToHandlerMs", round(first.toHandlerMs()));
        d.put("warmInvokeMs", round(median(warm.stream().mapToDouble(Call::totalMs).toArray())));
        d.put(
                "warmToHandlerMs",
                round(median(warm.stream().mapToDouble(Call::toHandlerMs).toArray())));
        d.put("warmInvocations", warm.size());
    }

    /** A synchronous invoke of a Stamp function; the handler's answer says when it started. */
    private static Call call(ControlClient client, String name) {
        long sent = dev.flowfn.bench.infra.Clock.micros();
        long t0 = System.nanoTime();
        ResultView result =
                client.invoke(
                        name, "\"bench\"".getBytes(StandardCharsets.UTF_8), "application/json");
        double total = (System.nanoTime() - t0) / 1e6;
        if (!result.success()) {
            throw new IllegalStateException(name + " failed: " + result);
        }
        String data = String.valueOf(result.data());
        long start = Long.parseLong(data.substring(data.lastIndexOf(',') + 1).trim());
        return new Call(total, (start - sent) / 1000.0);
    }

    /**
     * What the report says of the runtime of functions deployed through the control API: the
     * runtime in the server's answer (they are deployed as {@code java-embedded}).
     */
    static String deployedRuntime(String runtime) {
        return runtime + ", as the control server's answer to the deploy says";
    }

    private static String size(long bytes) {
        return bytes < 1024 * 1024
                ? Math.round(bytes / 102.4) / 10.0 + " KiB"
                : Memory.mib(bytes) + " MiB";
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
