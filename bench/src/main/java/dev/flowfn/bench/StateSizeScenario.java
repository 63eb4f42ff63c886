package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.BenchFlink.Checkpoint;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.bench.infra.ResultTap;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;

/**
 * Scenario 9: the job's checkpoint does not grow with the keys it has seen. The Flowfn job with one
 * no-op function on a topic; the size of its last completed checkpoint (MiniCluster REST API), then
 * events each with a Kafka key of its own, and once all their results are committed and two more
 * checkpoints completed, the size again. Nothing of a key may stay in state once its invocations
 * are done.
 */
final class StateSizeScenario {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final long SLACK_BYTES = 64 * 1024;

    private final BenchPlatform p;
    private final Profile profile;

    StateSizeScenario(BenchPlatform platform) {
        this.p = platform;
        this.profile = platform.profile;
    }

    void run(Report report) throws Exception {
        Report.Scenario s = report.scenario(9, "Checkpoint size after unique keys");
        s.runtime(Functions.EMBEDDED);
        long events = profile.stateEvents();
        p.functions.deleteAll(); // earlier scenarios' functions: only the probe and this one
        String topic = p.unique("bench.state");
        String fn = p.unique("state-noop");
        p.kafka.createTopics(List.of(topic));
        p.functions.deploy(p.functions.spec(fn, Noop.class, topic));
        JobID job = p.startFlowfn(Pattern.quote(topic));
        try {
            // the probe's results and the registry are in state by now; two checkpoints settle it
            Checkpoint first = awaitCheckpoints(job, null, 2);
            Checkpoint before = awaitCheckpoints(job, first, 1);

            AtomicLong results = new AtomicLong();
            AtomicLong failed = new AtomicLong();
            long largest = before.stateSize();
            long t0 = System.nanoTime();
            double sendSeconds;
            try (ResultTap tap =
                    new ResultTap(
                            p.kafka,
                            Topics.RESULTS,
                            true,
                            (r, at) -> {
                                InvocationResult result = RESULTS.decode(r.value());
                                if (result.getFunction().equals(fn)) {
                                    results.incrementAndGet();
                                    if (!result.getSuccess()) {
                                        failed.incrementAndGet();
                                    }
                                }
                            })) {
                Events.uniqueKeys(p.kafka, topic, "u", events);
                sendSeconds = (System.nanoTime() - t0) / 1e9;
                Duration timeout = Duration.ofSeconds(Math.max(120, events / 2_000));
                long deadline = System.nanoTime() + timeout.toNanos();
                long lastCheck = 0;
                while (results.get() < events) {
                    tap.check();
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException(
                                "only "
                                        + results.get()
                                        + " of "
                                        + events
                                        + " results committed within "
                                        + timeout.toSeconds()
                                        + " s");
                    }
                    if (System.nanoTime() - lastCheck > 500_000_000L) {
                        p.flink.checkRunning(job);
                        Checkpoint now = p.flink.lastCheckpoint(job);
                        largest = Math.max(largest, now == null ? 0 : now.stateSize());
                        lastCheck = System.nanoTime();
                    }
                    Clock.sleep(50);
                }
            }
            double processSeconds = (System.nanoTime() - t0) / 1e9;
            Checkpoint atEnd = p.flink.lastCheckpoint(job);
            Checkpoint after = awaitCheckpoints(job, atEnd, 2);
            largest = Math.max(largest, Math.max(atEnd.stateSize(), after.stateSize()));
            p.flink.checkRunning(job);

            long allowed = Math.max(SLACK_BYTES, Math.round(before.stateSize() * 0.10));
            boolean met = Math.abs(after.stateSize() - before.stateSize()) <= allowed;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("events", events);
            d.put("distinctKeys", events);
            d.put("results", results.get());
            d.put("failedResults", failed.get());
            d.put("sendSeconds", Math.round(sendSeconds * 10) / 10.0);
            d.put("allResultsCommittedSeconds", Math.round(processSeconds * 10) / 10.0);
            d.put("before", checkpoint(before));
            d.put("after", checkpoint(after));
            d.put("largestStateSizeSeen", largest);
            d.put("allowedDifferenceBytes", allowed);
            s.row(
                    new Report.Row(
                            String.format(
                                    Locale.ROOT,
                                    "checkpoint size after %,d events with unique keys (Flowfn, 1"
                                            + " no-op function)",
                                    events),
                            after.stateSize(),
                            before.stateSize(),
                            "bytes",
                            "the same job's last checkpoint before the events",
                            "returns to its size before (within max(10%, 64 KiB))",
                            met,
                            d,
                            String.format(
                                    Locale.ROOT,
                                    "state_size of the last completed checkpoint (REST"
                                            + " /jobs/<id>/checkpoints) before the events and after all"
                                            + " %,d results were committed and two more checkpoints"
                                            + " completed (checkpoint %d vs %d); largest seen while"
                                            + " they ran: %,d bytes; hashmap state backend, full"
                                            + " checkpoints every %d ms",
                                    events,
                                    after.id(),
                                    before.id(),
                                    largest,
                                    profile.checkpointInterval().toMillis()),
                            String.format(
                                    Locale.ROOT,
                                    "%+,d bytes, allowed ±%,d",
                                    after.stateSize() - before.stateSize(),
                                    allowed),
                            null));
        } finally {
            p.flink.cancel(job);
            p.functions.deleteAll();
        }
    }

    /**
     * Waits until {@code count} more checkpoints completed than {@code since} had seen (counted
     * from the job's start when null); returns the last completed one.
     */
    private Checkpoint awaitCheckpoints(JobID job, Checkpoint since, int count) throws Exception {
        long wanted = (since == null ? 0 : since.completed()) + count;
        Duration timeout = profile.checkpointInterval().multipliedBy(count * 10L).plusSeconds(60);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Checkpoint c = p.flink.lastCheckpoint(job);
            if (c != null && c.completed() >= wanted) {
                return c;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "not "
                                + wanted
                                + " completed checkpoints within "
                                + timeout.toSeconds()
                                + " s (last completed: "
                                + c
                                + ")");
            }
            p.flink.checkRunning(job);
            Clock.sleep(100);
        }
    }

    private static Map<String, Object> checkpoint(Checkpoint c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("checkpointId", c.id());
        m.put("stateSizeBytes", c.stateSize());
        m.put("checkpointedSizeBytes", c.checkpointedSize());
        m.put("completedCheckpoints", c.completed());
        return m;
    }
}
