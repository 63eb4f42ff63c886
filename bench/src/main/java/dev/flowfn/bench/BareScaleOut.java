package dev.flowfn.bench;

import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.OffsetProgress;
import dev.flowfn.bench.infra.OffsetProgress.Throughput;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;

/**
 * Scenario 12's machine baseline: what twice the parallel instances give the bare Flink job ({@link
 * BareFlinkJob}, identity map) on this machine's cores. The same backlog is measured at parallelism
 * 2 and at 4 on the run's MiniCluster (4 slots), best of 2 each. Adding a TaskManager on the same
 * machine adds slots, not cores; this ratio is the most such a TaskManager can give a job here.
 */
final class BareScaleOut {

    private static final int PARTITIONS = 4;
    private static final int ROUNDS = 2;

    private final BenchPlatform p;
    private final Profile profile;

    BareScaleOut(BenchPlatform p, Profile profile) {
        this.p = p;
        this.profile = profile;
    }

    void run(Report report) throws Exception {
        Throughput two = best(2);
        Throughput four = best(4);
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("backlogEvents", profile.backlog());
        d.put("rounds", "best of " + ROUNDS + " each");
        d.put("parallelism2", two.details());
        d.put("parallelism4", four.details());
        d.put("cores", Runtime.getRuntime().availableProcessors());
        report.scenario(12, "Scale-out in reactive mode")
                .row(
                        new Report.Row(
                                "bare Flink job: events/s at steady rate at parallelism 4"
                                        + " (KafkaSource -> keyBy -> map -> exactly-once"
                                        + " KafkaSink, 4 partitions)",
                                four.writtenPerSecond(),
                                two.writtenPerSecond(),
                                "events/s",
                                "the same job and backlog at parallelism 2, this run (one"
                                        + " MiniCluster of 4 slots on this machine's "
                                        + Runtime.getRuntime().availableProcessors()
                                        + " cores)",
                                "none set",
                                null,
                                d,
                                "the ceiling of scale-out on one machine: twice the parallel"
                                        + " instances of a bare job on the same cores; a second"
                                        + " TaskManager on this machine cannot give Flowfn more"
                                        + " than this ratio"));
    }

    private Throughput best(int parallelism) throws Exception {
        Throughput best = null;
        for (int round = 0; round < ROUNDS; round++) {
            Throughput t = round(parallelism);
            if (best == null
                    || Double.isNaN(best.writtenPerSecond())
                    || t.writtenPerSecond() > best.writtenPerSecond()) {
                best = t;
            }
        }
        return best;
    }

    private Throughput round(int parallelism) throws Exception {
        String in = p.unique("bench.scale-bare");
        String out = p.unique("bench.scale-bare-out");
        p.kafka.createTopics(List.of(in), PARTITIONS);
        p.kafka.createTopics(List.of(out));
        long records = profile.backlog();
        try (Events.Backlog backlog = Events.backlog(p.kafka, List.of(in), records)) {
            backlog.release();
            OffsetProgress progress = new OffsetProgress(p.kafka, out);
            JobID job = BareFlinkJob.start(p, in, out, BareFlinkJob.Work.IDENTITY, parallelism);
            try {
                return progress.measure(
                        records,
                        profile.throughputWarmup(),
                        profile.throughputMeasure(),
                        Duration.ofMinutes(10),
                        p.alive(job));
            } finally {
                p.flink.cancel(job);
                progress.close();
            }
        }
    }
}
