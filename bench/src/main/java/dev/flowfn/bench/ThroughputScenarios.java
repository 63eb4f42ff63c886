package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Jfr;
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
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;

/**
 * Scenarios 1 and 2: events per second from a backlog on the trigger topic(s) to results written by
 * the exactly-once sink, for Flowfn with one no-op function, the bare Flink job over the same
 * topic, and Flowfn with 100 functions. Each round writes a fresh backlog held back in an open
 * transaction, starts the job, confirms it has the registry, then releases the backlog. The best
 * round of each counts (least disturbed by the machine's other work); all are in the details.
 */
final class ThroughputScenarios {

    private final BenchPlatform p;
    private final Profile profile;

    ThroughputScenarios(BenchPlatform platform) {
        this.p = platform;
        this.profile = platform.profile;
    }

    void run(Report report) throws Exception {
        Report.Scenario one = report.scenario(1, "Throughput, one no-op function");
        if (profile.warmupJob()) {
            // the first jobs in a JVM run 2-3x slower (JIT): warm both pipelines, then measure
            oneFunctionRound(profile.backlog() / 4, Duration.ofSeconds(1), Duration.ofSeconds(3));
        }
        List<Throughput> flowfn = new ArrayList<>();
        List<Throughput> bare = new ArrayList<>();
        for (int r = 0; r < profile.throughputRounds(); r++) {
            Throughput[] round =
                    oneFunctionRound(
                            profile.backlog(),
                            profile.throughputWarmup(),
                            profile.throughputMeasure());
            flowfn.add(round[0]);
            bare.add(round[1]);
        }
        Throughput f = best(flowfn);
        Throughput b = best(bare);
        one.row(
                new Report.Row(
                        "events/s, trigger topic -> results (Flowfn, 1 no-op function)",
                        f.writtenPerSecond(),
                        b.writtenPerSecond(),
                        "events/s",
                        "bare Flink: KafkaSource -> keyBy -> map -> exactly-once KafkaSink, same topic",
                        ">= 0.8x baseline",
                        f.writtenPerSecond() / b.writtenPerSecond() >= 0.8,
                        details(flowfn, bare),
                        rateNote()));

        Report.Scenario many = report.scenario(2, "Throughput, 100 distinct functions");
        List<Throughput> spread = new ArrayList<>();
        for (int r = 0; r < profile.throughputRounds(); r++) {
            spread.add(manyFunctionsRound(profile.manyFunctions()));
        }
        Throughput m = best(spread);
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
                        "scenario 1, Flowfn with 1 function",
                        ">= 0.8x baseline",
                        m.writtenPerSecond() / f.writtenPerSecond() >= 0.8,
                        d,
                        "each function has its own trigger topic (2 partitions), events round-robin over the "
                                + profile.manyFunctions()
                                + " topics; same 100-byte events and no-op handler as scenario 1"));
    }

    /** Flowfn, then the bare job, over one backlog; returns {flowfn, bare}. */
    private Throughput[] oneFunctionRound(long records, Duration warmup, Duration measure)
            throws Exception {
        String topic = p.unique("bench.tp");
        p.kafka.createTopics(List.of(topic));
        p.functions.deploy(p.functions.spec(p.unique("noop"), Noop.class, topic));
        Throughput flowfn;
        try (Events.Backlog backlog = Events.backlog(p.kafka, List.of(topic), records)) {
            flowfn = measureFlowfn(Pattern.quote(topic), backlog, warmup, measure);
        }
        String out = p.unique("bench.bare-out");
        p.kafka.createTopics(List.of(out));
        OffsetProgress progress = new OffsetProgress(p.kafka, out);
        jdk.jfr.Recording jfr = Jfr.start(p.unique("throughput-bare"));
        JobID job = BareFlinkJob.start(p, topic, out, false);
        try {
            return new Throughput[] {
                flowfn, progress.measure(records, warmup, measure, timeout(measure), p.alive(job))
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
                    profile.throughputMeasure());
        }
    }

    private Throughput measureFlowfn(
            String topics, Events.Backlog backlog, Duration warmup, Duration measure)
            throws Exception {
        JobID job = p.startFlowfn(topics);
        OffsetProgress progress = new OffsetProgress(p.kafka, Topics.RESULTS);
        jdk.jfr.Recording jfr = Jfr.start(p.unique("throughput-flowfn"));
        try {
            backlog.release();
            return progress.measure(
                    backlog.records, warmup, measure, timeout(measure), p.alive(job));
        } finally {
            Jfr.stop(jfr);
            p.flink.cancel(job);
            progress.close();
        }
    }

    private static Duration timeout(Duration measure) {
        return measure.plusSeconds(90);
    }

    private static Throughput best(List<Throughput> rounds) {
        return rounds.stream()
                .max(Comparator.comparingDouble(Throughput::writtenPerSecond))
                .orElseThrow();
    }

    private Map<String, Object> details(List<Throughput> flowfn, List<Throughput> bare) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("backlogEvents", profile.backlog());
        d.put("flowfnRounds", flowfn.stream().map(Throughput::details).toList());
        d.put("bareRounds", bare.stream().map(Throughput::details).toList());
        return d;
    }

    private String rateNote() {
        return "rate of results written by the exactly-once sink (topic high watermark) from "
                + profile.throughputWarmup().toMillis()
                + " ms after the first result for up to "
                + profile.throughputMeasure().toSeconds()
                + " s, best of "
                + profile.throughputRounds()
                + " round(s); committed rates in the details";
    }
}
