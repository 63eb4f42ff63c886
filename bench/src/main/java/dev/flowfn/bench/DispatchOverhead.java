package dev.flowfn.bench;

import dev.flowfn.bench.jmh.AvroFloorBenchmark;
import dev.flowfn.bench.jmh.DispatchBenchmark;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Scenario 6: the JMH benchmarks of the job's per-event path, run before anything else starts. */
final class DispatchOverhead {

    /** JMH's GC profiler's secondary result: bytes allocated per benchmark operation. */
    private static final String ALLOCATED_PER_OP = "gc.alloc.rate.norm";

    private final Profile profile;
    private final Path log;

    DispatchOverhead(Profile profile, Path log) {
        this.profile = profile;
        this.log = log;
    }

    void run(Report report) throws Exception {
        Report.Scenario s = report.scenario(6, "Dispatch overhead (JMH)");
        s.runtime(
                "java-embedded, set in the benchmark's specs: the function group's inline path, no"
                        + " worker");
        Options options =
                new OptionsBuilder()
                        .include(Pattern.quote(DispatchBenchmark.class.getName()) + ".*")
                        .include(Pattern.quote(AvroFloorBenchmark.class.getName()) + ".*")
                        .forks(profile.jmhForks())
                        .warmupIterations(profile.jmhIterations())
                        .warmupTime(TimeValue.milliseconds(profile.jmhIteration().toMillis()))
                        .measurementIterations(profile.jmhIterations())
                        .measurementTime(TimeValue.milliseconds(profile.jmhIteration().toMillis()))
                        .jvmArgsAppend(
                                "-Xmx1g", "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.flowfn")
                        // bytes allocated per event: exact where the timings are noisy
                        .addProfiler(GCProfiler.class)
                        .shouldFailOnError(true)
                        .output(log.toString())
                        .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, Double> micros = new LinkedHashMap<>();
        Map<String, Double> bytes = new LinkedHashMap<>();
        Map<String, Object> all = new LinkedHashMap<>();
        for (RunResult r : results) {
            String bench = r.getParams().getBenchmark();
            String name = bench.substring(bench.lastIndexOf('.') + 1);
            String functions = r.getParams().getParam("functions");
            String key = functions == null ? name : name + "@" + functions;
            double us = r.getPrimaryResult().getScore() / 1000.0;
            micros.put(key, us);
            all.put(key + "Micros", Math.round(us * 1000) / 1000.0);
            all.put(
                    key + "ErrorMicros",
                    Math.round(r.getPrimaryResult().getScoreError() / 1000.0 * 1000) / 1000.0);
            Result<?> allocated = r.getSecondaryResults().get(ALLOCATED_PER_OP);
            if (allocated != null) {
                bytes.put(key, allocated.getScore());
                all.put(key + "BytesAllocated", Math.round(allocated.getScore()));
            }
        }
        all.put("forks", profile.jmhForks());
        all.put(
                "iterations",
                profile.jmhIterations()
                        + " warm-up + "
                        + profile.jmhIterations()
                        + " measured, "
                        + profile.jmhIteration().toMillis()
                        + " ms each");
        double floor = micros.get("wrapAndEncode");
        double one = micros.get("perEvent@1");
        double many = micros.get("perEvent@10000");
        s.row(
                new Report.Row(
                        "µs per event: decode + match + keyBy + dispatch + encode, 1 function",
                        one,
                        floor,
                        "µs",
                        "Avro floor: wrap record as Event + encode one result",
                        "< 2 µs",
                        one < 2,
                        all,
                        "parts at 1 function: decode+match "
                                + fmt(micros.get("decodeAndMatch@1"))
                                + ", keyBy serialization "
                                + fmt(micros.get("keyByShuffle@1"))
                                + ", dispatch (queue, inline no-op handler, encode, meter) "
                                + fmt(micros.get("dispatch@1"))
                                + " µs; batches of 1,000 events, time per event; the function group operator's path (issue 12)"
                                + (profile.jmhForks() == 0
                                        ? "; quick mode runs JMH in the harness JVM (no fork)"
                                        : "")));
        s.row(
                new Report.Row(
                        "µs per event, same path, 10,000 deployed functions",
                        many,
                        one,
                        "µs",
                        "the same with 1 function",
                        "< 2 µs",
                        many < 2,
                        all,
                        "10,000 functions in the trigger index (one on the event's topic); only that one is loaded"));
        allocationRow(s, bytes, all);
    }

    /**
     * Bytes allocated per event on the path, beside the Avro floor's. The benchmarks count one
     * event per operation, so JMH's bytes per operation are bytes per event.
     */
    private static void allocationRow(
            Report.Scenario s, Map<String, Double> bytes, Map<String, Object> all) {
        Double one = bytes.get("perEvent@1");
        Double floor = bytes.get("wrapAndEncode");
        if (one == null || floor == null) {
            throw new IllegalStateException(
                    "JMH's GC profiler gave no "
                            + ALLOCATED_PER_OP
                            + " for the dispatch benchmarks");
        }
        s.row(
                new Report.Row(
                        "bytes allocated per event: decode + match + keyBy + dispatch + encode, 1 function",
                        one,
                        floor,
                        "bytes",
                        "Avro floor: wrap record as Event + encode one result",
                        "none set",
                        null,
                        all,
                        "JMH's GC profiler ("
                                + ALLOCATED_PER_OP
                                + "): heap bytes allocated per event, exact where the times are"
                                + " noisy; parts at 1 function: decode+match "
                                + fmt(bytes.get("decodeAndMatch@1"), "%.0f")
                                + ", keyBy serialization "
                                + fmt(bytes.get("keyByShuffle@1"), "%.0f")
                                + ", dispatch "
                                + fmt(bytes.get("dispatch@1"), "%.0f")
                                + " bytes"));
    }

    private static String fmt(Double v, String format) {
        return v == null ? "n/a" : String.format(java.util.Locale.ROOT, format, v);
    }

    private static String fmt(Double v) {
        return fmt(v, "%.2f");
    }
}
