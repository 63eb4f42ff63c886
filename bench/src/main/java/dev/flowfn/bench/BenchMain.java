package dev.flowfn.bench;

import dev.flowfn.bench.infra.BenchFlink;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.FlowfnLocalProcess;
import dev.flowfn.deploy.local.engines.EngineClasspath;
import dev.flowfn.job.JobOptions;
import dev.flowfn.schemas.FlowfnSchemas;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The benchmark harness: {@code ./bench/run [--quick] [--only 1,4] [--out DIR] [--keep]}. Runs the
 * JMH scenario (6) first (nothing else running), then starts a Kafka broker and a MiniCluster for
 * scenarios 1-4, 7's heap part, 9, 11 and 12's bare-job baseline, stops them, and starts {@code
 * flowfn local} for 7's resident memory, 5, 8 and 10, then {@code flowfn topology} for 12 (reactive
 * mode) and 13 (rescale downtime). A failing scenario is recorded with its error and the others
 * still run. Writes {@code latest.json} and {@code latest.md} to the output folder. The run fails
 * (exit 1) if a scenario failed or the report is incomplete: a chosen scenario without rows, a row
 * without a figure or baseline ({@link #incomplete}).
 */
public final class BenchMain {

    /** The scenarios, by their number in the report. */
    static final Set<Integer> ALL = Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);

    public static void main(String[] args) throws Exception {
        Profile profile = Profile.FULL;
        Path out = null;
        Set<Integer> only = ALL;
        boolean keep = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> profile = Profile.QUICK;
                case "--out" -> out = Path.of(args[++i]);
                case "--keep" -> keep = true;
                case "--jfr" ->
                        dev.flowfn.bench.infra.Jfr.recordTo(Path.of(args[++i]).toAbsolutePath());
                case "--only" -> {
                    Set<Integer> chosen = new LinkedHashSet<>();
                    for (String n : args[++i].split(",")) {
                        int number = Integer.parseInt(n.trim());
                        if (!ALL.contains(number)) {
                            System.err.println(
                                    "bench: no scenario " + number + "; they are " + ALL);
                            System.exit(2);
                        }
                        chosen.add(number);
                    }
                    only = chosen;
                }
                default -> {
                    System.err.println(
                            "usage: bench/run [--quick] [--only 1,2,...] [--out DIR] [--keep] [--jfr DIR]");
                    System.exit(2);
                }
            }
        }
        Path home = EngineClasspath.locate().home();
        Report report =
                run(
                        profile,
                        out != null ? out : home.resolve("bench").resolve("results"),
                        only,
                        keep);
        boolean failed =
                report.scenarios().stream().anyMatch(s -> s.error != null)
                        || report.run.containsKey("incomplete");
        System.exit(failed ? 1 : 0);
    }

    /**
     * Runs the chosen scenarios and writes {@code latest.json} and {@code latest.md} to {@code
     * out}.
     */
    public static Report run(Profile profile, Path out, Set<Integer> only, boolean keep)
            throws Exception {
        FlowfnSchemas.trustGeneratedClasses();
        Path home = EngineClasspath.locate().home();
        Path work = Files.createTempDirectory("flowfn-bench-");
        Report report = new Report();
        report.run.put("mode", profile.name());
        report.run.put("started", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        report.run.put("cores", Runtime.getRuntime().availableProcessors());
        report.run.put("loadAverageBefore", loadAverage());
        report.run.put(
                "java",
                "Java "
                        + System.getProperty("java.version")
                        + ", harness heap max "
                        + Runtime.getRuntime().maxMemory() / 1048576
                        + " MiB");
        report.run.put("checkpointIntervalMs", profile.checkpointInterval().toMillis());
        report.run.put("parallelism", BenchFlink.PARALLELISM);
        report.run.put("eventBytes", Events.EVENT_BYTES);
        // every Flowfn job of the run (MiniCluster and flowfn local) takes the option's default
        report.run.put("sinkOwnTask", JobOptions.SINK_OWN_TASK.defaultValue());
        report.run.put("localJavaOptions", String.join(" ", FlowfnLocalProcess.extraOptions()));
        report.run.put("localArgs", String.join(" ", FlowfnLocalProcess.extraArgs()));
        report.run.put("workDir", work.toString());
        long t0 = System.nanoTime();
        log("%s run, work folder %s", profile.name(), work);
        try {
            if (only.contains(6)) {
                scenario(
                        report,
                        6,
                        "Dispatch overhead (JMH)",
                        () -> new DispatchOverhead(profile, work.resolve("jmh.log")).run(report));
            }
            if (only.stream().anyMatch(n -> n <= 4 || n == 7 || n == 9 || n == 11 || n == 12)) {
                runInJvm(profile, work, only, report);
            }
            if (only.contains(5) || only.contains(7) || only.contains(8) || only.contains(10)) {
                // errors of flowfn local itself are recorded on the first chosen of 5, 8, 10, 7
                int number =
                        only.contains(5) ? 5 : only.contains(8) ? 8 : only.contains(10) ? 10 : 7;
                String title =
                        switch (number) {
                            case 5 -> "Cold start";
                            case 8 -> "HTTP trigger (issue 8)";
                            case 10 -> "Alias move";
                            default -> "Memory";
                        };
                scenario(
                        report,
                        number,
                        title,
                        () -> new LocalPlatformScenarios(profile, home, work).run(report, only));
            }
            if (only.contains(12)) {
                scenario(
                        report,
                        12,
                        "Scale-out in reactive mode",
                        () -> new ScaleOutScenario(profile, home, work).run(report));
            }
            if (only.contains(13)) {
                scenario(
                        report,
                        13,
                        "Rescale downtime (flowfn scale)",
                        () -> new RescaleScenario(profile, home, work).run(report));
            }
        } finally {
            report.run.put("seconds", Math.round((System.nanoTime() - t0) / 1e8) / 10.0);
            report.run.put("loadAverageAfter", loadAverage());
            List<String> incomplete = incomplete(report, only);
            if (!incomplete.isEmpty()) {
                report.run.put("incomplete", incomplete);
                incomplete.forEach(problem -> log("incomplete report: %s", problem));
            }
            report.writeJson(out.resolve("latest.json"));
            report.writeMarkdown(out.resolve("latest.md"));
            log("wrote %s and %s", out.resolve("latest.json"), out.resolve("latest.md"));
            if (!keep) {
                delete(work);
            }
        }
        return report;
    }

    private static void runInJvm(Profile profile, Path work, Set<Integer> only, Report report)
            throws Exception {
        log("starting Kafka (child JVM) and a Flink MiniCluster");
        BenchPlatform platform;
        try {
            platform = BenchPlatform.start(profile, work);
        } catch (Exception e) {
            for (int n : new int[] {1, 2, 3, 4, 7, 9, 11, 12}) {
                if (only.contains(n)) {
                    report.scenario(n, "(platform did not start)").error =
                            "platform did not start: " + e;
                }
            }
            return;
        }
        try (platform) {
            ThroughputScenarios throughput = new ThroughputScenarios(platform);
            LatencyScenarios latency = new LatencyScenarios(platform);
            if (only.contains(1) || only.contains(2)) {
                scenario(report, 1, "Throughput, one function", () -> throughput.run(report, only));
            }
            if (only.contains(3)) {
                scenario(report, 3, "Slow neighbour", () -> latency.slowNeighbour(report));
            }
            if (only.contains(4)) {
                scenario(report, 4, "Latency at fixed rates", () -> latency.latency(report));
            }
            if (only.contains(7)) {
                scenario(report, 7, "Memory", () -> new JobHeapScenario(platform).run(report));
            }
            if (only.contains(9)) {
                scenario(
                        report,
                        9,
                        "Checkpoint size after unique keys",
                        () -> new StateSizeScenario(platform).run(report));
            }
            if (only.contains(12)) {
                scenario(
                        report,
                        12,
                        "Scale-out in reactive mode",
                        () -> new BareScaleOut(platform, profile).run(report));
            }
            if (only.contains(11)) {
                scenario(report, 11, "Runtimes", () -> new RuntimesScenario(platform).run(report));
            }
        }
    }

    /**
     * What makes the report incomplete: a chosen scenario that is missing or has no rows (unless it
     * failed, which fails the run anyway), a row whose figure or baseline is not a number, or
     * without a goal or unit. Empty when complete.
     */
    static List<String> incomplete(Report report, Set<Integer> only) {
        List<String> problems = new ArrayList<>();
        Map<Integer, Report.Scenario> byNumber = new HashMap<>();
        report.scenarios().forEach(s -> byNumber.put(s.number, s));
        for (int n : new TreeSet<>(only)) {
            Report.Scenario s = byNumber.get(n);
            if (s == null) {
                problems.add("scenario " + n + " was chosen but has no entry");
            } else if (s.rows.isEmpty() && s.error == null) {
                problems.add("scenario " + n + " has no rows");
            }
        }
        for (Report.Scenario s : report.scenarios()) {
            for (Report.Row r : s.rows) {
                String what = "scenario " + s.number + ", " + r.name();
                if (!Double.isFinite(r.figure())) {
                    problems.add(what + ": no figure");
                }
                if (!Double.isFinite(r.baseline())) {
                    problems.add(what + ": no baseline");
                }
                if (r.goal() == null || r.goal().isBlank()) {
                    problems.add(what + ": no goal");
                }
                if (r.unit() == null || r.unit().isBlank()) {
                    problems.add(what + ": no unit");
                }
            }
        }
        return problems;
    }

    private interface Body {
        void run() throws Exception;
    }

    private static void scenario(Report report, int number, String title, Body body) {
        log("scenario %d: %s", number, title);
        Report.Scenario s = report.scenario(number, title);
        java.util.Map<Report.Scenario, Integer> before = new java.util.HashMap<>();
        report.scenarios().forEach(x -> before.put(x, x.rows.size()));
        long t0 = System.nanoTime();
        try {
            body.run();
        } catch (Throwable e) {
            s.error = e.getClass().getSimpleName() + ": " + e.getMessage();
            log("scenario %d failed: %s", number, e);
            e.printStackTrace(System.out);
        }
        s.seconds += (System.nanoTime() - t0) / 1e9;
        for (Report.Scenario x : report.scenarios()) {
            for (Report.Row r : x.rows.subList(before.getOrDefault(x, 0), x.rows.size())) {
                log(
                        "  %d %-88s %s vs %s",
                        x.number,
                        r.name(),
                        Markdown.format(r.figure(), r.unit()),
                        Markdown.format(r.baseline(), r.unit()));
            }
        }
    }

    private static String loadAverage() {
        return String.format(
                Locale.ROOT,
                "%.2f",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    static void log(String format, Object... args) {
        System.out.printf(
                "[bench %s] %s%n",
                java.time.LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
                String.format(Locale.ROOT, format, args));
        System.out.flush();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private BenchMain() {}
}
