package dev.flowfn.bench;

import dev.flowfn.api.Handler;
import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.fns.Spin;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.bench.infra.Jfr;
import dev.flowfn.bench.infra.JitActivity;
import dev.flowfn.bench.infra.OffsetProgress;
import dev.flowfn.bench.infra.OffsetProgress.Throughput;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;

/**
 * Scenarios 1 and 2: events per second from a backlog on the trigger topic(s) to results written by
 * the exactly-once sink, for Flowfn with one no-op function, the bare Flink job over the same
 * topic, the same two with 50 µs of work per event, and Flowfn with 100 functions. Scenario 1 gives
 * two figures per handler: over the whole backlog (first to last result) and at the steady rate
 * after the warm-up. Each round writes a fresh backlog held back in an open transaction, starts the
 * job, confirms it has the registry, then releases the backlog. The best round of each figure
 * counts (least disturbed by the machine's other work); all are in the details.
 */
final class ThroughputScenarios {

    /**
     * Warm-up rounds go on while the JIT compilers' time through the last one ({@link JitActivity})
     * was more than this share of its wall time, up to {@link #MAX_WARMUP_ROUNDS}.
     */
    private static final double JIT_QUIET_CORES = 0.10;

    private static final int MAX_WARMUP_ROUNDS = 5;

    private final BenchPlatform p;
    private final Profile profile;

    ThroughputScenarios(BenchPlatform platform) {
        this.p = platform;
        this.profile = platform.profile;
    }

    /**
     * The no-op rounds always (scenario 2's baseline is their figure); the 50 µs handler if {@code
     * only} holds 1, the 100 functions if it holds 2.
     */
    void run(Report report, Set<Integer> only) throws Exception {
        Report.Scenario one = report.scenario(1, "Throughput, one function");
        one.runtime(
                Functions.EMBEDDED
                        + ", so the handler runs in the TaskManager as the bare Flink job's map"
                        + " does; the worker runtimes are in scenario 11");
        List<Double> warmups = new ArrayList<>();
        if (profile.warmupJob()) {
            // the first jobs in a JVM run 2-3x slower (JIT): warm both pipelines until the
            // compilers are nearly idle through a round, then measure
            for (int r = 0; r < MAX_WARMUP_ROUNDS; r++) {
                JitActivity jit = JitActivity.mark();
                round(
                        Noop.class,
                        BareFlinkJob.Work.IDENTITY,
                        profile.backlog() / 4,
                        Duration.ofSeconds(1),
                        Duration.ofSeconds(3),
                        false);
                double cores = jit.cores();
                warmups.add(Math.round(cores * 100) / 100.0);
                if (cores < JIT_QUIET_CORES) {
                    break;
                }
            }
        }
        Rounds measured = rounds(Noop.class, BareFlinkJob.Work.IDENTITY, profile.backlog());
        Rounds noop = new Rounds(measured.flowfn(), measured.bare(), warmups);
        String bareWhat =
                "bare Flink: KafkaSource -> keyBy -> map -> exactly-once KafkaSink, same topic";
        one.row(
                new Report.Row(
                        "events/s over the whole backlog, first -> last result (Flowfn, 1 no-op"
                                + " function)",
                        noop.flowfnWhole(),
                        noop.bareWhole(),
                        "events/s",
                        bareWhat,
                        ">= 0.8x baseline",
                        noop.flowfnWhole() / noop.bareWhole() >= 0.8,
                        noop.details(profile.backlog()),
                        wholeNote(profile.backlog())));
        Throughput f = best(noop.flowfn, Throughput::writtenPerSecond);
        one.row(
                new Report.Row(
                        "events/s at steady rate, trigger topic -> results (Flowfn, 1 no-op"
                                + " function)",
                        f.writtenPerSecond(),
                        noop.bareSteady(),
                        "events/s",
                        bareWhat,
                        ">= 0.9x baseline",
                        f.writtenPerSecond() / noop.bareSteady() >= 0.9,
                        noop.details(profile.backlog()),
                        rateNote()));

        if (only.contains(1)) {
            spin(one, noop);
        }
        if (only.contains(2)) {
            many(report, f);
        }
    }

    /** The same rounds with 50 µs of work per event, against a bare job whose map does the same. */
    private void spin(Report.Scenario one, Rounds noop) throws Exception {
        long backlog = profile.spinBacklog();
        Rounds spin = rounds(Spin.class, BareFlinkJob.Work.SPIN, backlog);
        String what =
                "bare Flink job whose map spins "
                        + Spin.MICROS
                        + " µs per event (Spin.work()), same topic and sink";
        Map<String, Object> d = spin.details(backlog);
        d.put("workMicrosPerEvent", Spin.MICROS);
        d.put("bareIdentityWholePerSecond", Math.round(noop.bareWhole()));
        d.put("bareIdentitySteadyPerSecond", Math.round(noop.bareSteady()));
        one.row(
                new Report.Row(
                        "events/s over the whole backlog, "
                                + Spin.MICROS
                                + " µs of work per event (Flowfn, 1 function)",
                        spin.flowfnWhole(),
                        spin.bareWhole(),
                        "events/s",
                        what,
                        ">= 0.8x baseline",
                        spin.flowfnWhole() / spin.bareWhole() >= 0.8,
                        d,
                        wholeNote(backlog) + "; " + spinNote(),
                        versusIdentity(spin.flowfnWhole(), noop.bareWhole()),
                        null));
        double steady = best(spin.flowfn, Throughput::writtenPerSecond).writtenPerSecond();
        one.row(
                new Report.Row(
                        "events/s at steady rate, "
                                + Spin.MICROS
                                + " µs of work per event (Flowfn, 1 function)",
                        steady,
                        spin.bareSteady(),
                        "events/s",
                        what,
                        ">= 0.9x baseline",
                        steady / spin.bareSteady() >= 0.9,
                        d,
                        rateNote() + "; " + spinNote(),
                        versusIdentity(steady, noop.bareSteady()),
                        null));
    }

    private void many(Report report, Throughput f) throws Exception {
        Report.Scenario many = report.scenario(2, "Throughput, 100 distinct functions");
        many.runtime(Functions.EMBEDDED + ", all " + profile.manyFunctions() + " functions");
        List<Throughput> spread = new ArrayList<>();
        for (int r = 0; r < profile.throughputRounds(); r++) {
            spread.add(manyFunctionsRound(profile.manyFunctions()));
        }
        Throughput m = best(spread, Throughput::writtenPerSecond);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("functions", profile.manyFunctions());
        d.put("rounds", spread.stream().map(Throughput::details).toList());
        many.row(
                new Report.Row(
                        "events/s spread over "
                                + profile.manyFunctions()
                                + " functions (1 topic each)",
                        m.writtenPerSecond(),
                        f.writtenPerSecond(),
                        "events/s",
                        "scenario 1, Flowfn with 1 no-op function, steady rate",
                        ">= 0.8x baseline",
                        m.writtenPerSecond() / f.writtenPerSecond() >= 0.8,
                        d,
                        "each function has its own trigger topic (2 partitions), events round-robin over the "
                                + profile.manyFunctions()
                                + " topics; same 100-byte events and no-op handler as scenario 1;"
                                + " steady rate as in scenario 1"));
    }

    /** Every round of one handler and its bare job; the best round of each figure counts. */
    private record Rounds(
            List<Throughput> flowfn, List<Throughput> bare, List<Double> warmupJitCores) {

        Rounds(List<Throughput> flowfn, List<Throughput> bare) {
            this(flowfn, bare, List.of());
        }

        double flowfnWhole() {
            return best(flowfn, Throughput::wholePerSecond).wholePerSecond();
        }

        double bareWhole() {
            return best(bare, Throughput::wholePerSecond).wholePerSecond();
        }

        double bareSteady() {
            return best(bare, Throughput::writtenPerSecond).writtenPerSecond();
        }

        Map<String, Object> details(long backlog) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("backlogEvents", backlog);
            d.put("flowfnRounds", flowfn.stream().map(Throughput::details).toList());
            d.put("bareRounds", bare.stream().map(Throughput::details).toList());
            if (!warmupJitCores.isEmpty()) {
                d.put("warmupRoundsJitCores", warmupJitCores);
            }
            return d;
        }
    }

    private Rounds rounds(Class<? extends Handler> handler, BareFlinkJob.Work work, long records)
            throws Exception {
        List<Throughput> flowfn = new ArrayList<>();
        List<Throughput> bare = new ArrayList<>();
        for (int r = 0; r < profile.throughputRounds(); r++) {
            Throughput[] round =
                    round(
                            handler,
                            work,
                            records,
                            profile.throughputWarmup(),
                            profile.throughputMeasure(),
                            true);
            flowfn.add(round[0]);
            bare.add(round[1]);
        }
        return new Rounds(flowfn, bare);
    }

    /**
     * Flowfn with one function of {@code handler}, then the bare job with {@code work}, over one
     * backlog; returns {flowfn, bare}. With {@code whole} each runs until the whole backlog is
     * written.
     */
    private Throughput[] round(
            Class<? extends Handler> handler,
            BareFlinkJob.Work work,
            long records,
            Duration warmup,
            Duration measure,
            boolean whole)
            throws Exception {
        String topic = p.unique("bench.tp");
        p.kafka.createTopics(List.of(topic));
        String name = p.unique(handler.getSimpleName().toLowerCase(java.util.Locale.ROOT));
        p.functions.deploy(p.functions.spec(name, handler, topic));
        Throughput flowfn;
        try (Events.Backlog backlog = Events.backlog(p.kafka, List.of(topic), records)) {
            flowfn = measureFlowfn(Pattern.quote(topic), backlog, warmup, measure, whole);
        }
        String out = p.unique("bench.bare-out");
        p.kafka.createTopics(List.of(out));
        OffsetProgress progress = new OffsetProgress(p.kafka, out);
        jdk.jfr.Recording jfr = Jfr.start(p.unique("throughput-bare"));
        JobID job = BareFlinkJob.start(p, topic, out, work);
        try {
            return new Throughput[] {
                flowfn,
                progress.measure(
                        records, warmup, measure, timeout(measure, records), p.alive(job), whole)
            };
        } finally {
            Jfr.stop(jfr);
            p.flink.cancel(job);
            progress.close();
        }
    }

    private Throughput manyFunctionsRound(int count) throws Exception {
        String prefix = p.unique("bench.m");
        List<String> topics = new ArrayList<>();
        List<FunctionSpec.Builder> specs = new ArrayList<>();
        String fnPrefix = p.unique("many");
        for (int i = 0; i < count; i++) {
            String topic = String.format("%s-%03d", prefix, i);
            topics.add(topic);
            specs.add(p.functions.spec(String.format("%s-%03d", fnPrefix, i), Noop.class, topic));
        }
        p.kafka.createTopics(topics);
        p.functions.deploy(specs);
        try (Events.Backlog backlog = Events.backlog(p.kafka, topics, profile.backlog())) {
            return measureFlowfn(
                    Pattern.quote(prefix) + "-\\d{3}",
                    backlog,
                    profile.throughputWarmup(),
                    profile.throughputMeasure(),
                    false);
        }
    }

    /**
     * Starts the Flowfn job on {@code topics} (a regex), releases the backlog and measures the
     * results written; cancels the job.
     */
    Throughput measureFlowfn(
            String topics, Events.Backlog backlog, Duration warmup, Duration measure, boolean whole)
            throws Exception {
        JobID job = p.startFlowfn(topics);
        OffsetProgress progress = new OffsetProgress(p.kafka, Topics.RESULTS);
        jdk.jfr.Recording jfr = Jfr.start(p.unique("throughput-flowfn"));
        try {
            backlog.release();
            return progress.measure(
                    backlog.records,
                    warmup,
                    measure,
                    timeout(measure, backlog.records),
                    p.alive(job),
                    whole);
        } finally {
            Jfr.stop(jfr);
            p.flink.cancel(job);
            progress.close();
        }
    }

    /** Long enough for the whole backlog at 5,000 events/s, on top of the window. */
    private static Duration timeout(Duration measure, long records) {
        return measure.plusSeconds(90 + records / 5_000);
    }

    private static Throughput best(
            List<Throughput> rounds, java.util.function.ToDoubleFunction<Throughput> figure) {
        return rounds.stream().max(Comparator.comparingDouble(figure)).orElseThrow();
    }

    private static String versusIdentity(double figure, double bareIdentity) {
        return String.format(
                java.util.Locale.ROOT,
                "%.2fx of the bare identity job's %,.0f events/s",
                figure / bareIdentity,
                bareIdentity);
    }

    private String wholeNote(long backlog) {
        return String.format(
                java.util.Locale.ROOT,
                "backlog of %,d events: results written by the exactly-once sink (topic high"
                        + " watermark, sampled every 20 ms, transaction markers included) from the first"
                        + " sample that saw a result to the first that saw the whole backlog, so neither"
                        + " job's start-up counts; best of %d round(s)",
                backlog,
                profile.throughputRounds());
    }

    private String spinNote() {
        return "the handler (Spin) busy-spins "
                + Spin.MICROS
                + " µs per event on System.nanoTime (no sleep) and returns an empty result; the"
                + " baseline's map calls the same Spin.work(); in brackets the figure against the"
                + " bare identity job of the no-op rounds (same run)";
    }

    private String rateNote() {
        return "rate of results written by the exactly-once sink (topic high watermark) from "
                + profile.throughputWarmup().toMillis()
                + " ms after the first result for up to "
                + profile.throughputMeasure().toSeconds()
                + " s (or until 90% of the backlog was written), best of "
                + profile.throughputRounds()
                + " round(s); committed rates in the details";
    }
}
