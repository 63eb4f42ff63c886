package dev.flowfn.bench;

import dev.flowfn.bench.fns.Noop;
import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.bench.infra.Memory;
import dev.flowfn.bench.infra.ResultTap;
import dev.flowfn.job.JobOptions;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Scenario 7, the job's part: heap of this JVM (the job on the MiniCluster, as in {@code flowfn
 * local}) after full GCs, with no function, then N deployed idle functions, then after each ran
 * once, then after the idle-unload time. Per-function figures are differences over N.
 */
final class JobHeapScenario {

    private final BenchPlatform p;
    private final Profile profile;

    JobHeapScenario(BenchPlatform platform) {
        this.p = platform;
        this.profile = platform.profile;
    }

    void run(Report report) throws Exception {
        Report.Scenario s = report.scenario(7, "Memory");
        s.runtime(
                Functions.EMBEDDED
                        + ", for the job heap rows; the resident memory row deploys nothing (idle"
                        + " workers' memory per runtime: scenario 11)");
        int n = profile.idleFunctions();
        p.functions.deleteAll(); // earlier scenarios' functions: the job starts with none but the
        // probe
        String topic = p.unique("bench.mem");
        p.kafka.createTopics(List.of(topic));
        JobID job =
                p.startFlowfn(
                        Pattern.quote(topic),
                        c -> c.set(JobOptions.IDLE_UNLOAD, profile.idleUnload()));
        try {
            p.functions.awaitReady(
                    java.time.Duration.ofSeconds(
                            60)); // a second round: lazy buffers and caches exist
            Clock.sleep(1_000);
            long[] noise = new long[2];
            long none = stableHeap(noise);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("functions", n);
            d.put("idleUnloadSeconds", profile.idleUnload().toSeconds());
            d.put("noFunctions", Memory.snapshot(none));

            String prefix = p.unique("idle");
            List<FunctionSpec.Builder> specs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                specs.add(p.functions.spec(String.format("%s-%04d", prefix, i), Noop.class, topic));
            }
            double specKib =
                    dev.flowfn.schemas.AvroCodec.of(FunctionSpec.class)
                                    .encode(specs.get(0).build())
                                    .length
                            / 1024.0;
            d.put("specRecordBytes", Math.round(specKib * 1024));
            p.functions.deploy(specs);
            p.functions.awaitReady(java.time.Duration.ofSeconds(120));
            long deployed = stableHeap(noise);
            d.put("deployed", Memory.snapshot(deployed));

            runEachOnce(topic, prefix, n);
            long ran = stableHeap(noise);
            d.put("ranOnce", Memory.snapshot(ran));

            // unloaded at the first sweep after the idle time (sweeps every max(1 s, idle/4))
            long sweep = Math.max(1_000, profile.idleUnload().toMillis() / 4);
            Clock.sleep(profile.idleUnload().toMillis() + 2 * sweep + 1_000);
            p.flink.checkRunning(job);
            long unloaded = stableHeap(noise);
            d.put("afterIdleUnload", Memory.snapshot(unloaded));
            d.put("heapNoiseMiB", Memory.mib(noise[1] - noise[0]));
            d.put(
                    "noisePerFunctionKiB",
                    Math.round((noise[1] - noise[0]) / 1024.0 / n * 10) / 10.0);

            s.row(
                    row(
                            n + " functions deployed, never run: job heap per function",
                            deployed,
                            none,
                            n,
                            specKib,
                            null,
                            d));
            s.row(
                    row(
                            n + " functions after each ran once: job heap per function",
                            ran,
                            none,
                            n,
                            specKib,
                            null,
                            d));
            s.row(
                    row(
                            n + " functions after the idle unload: job heap per function",
                            unloaded,
                            none,
                            n,
                            specKib,
                            100.0,
                            d));
            s.note(
                    "heap figures are this JVM's used heap after full GCs (median of 3 readings, each the least of 3 GCs), job on a MiniCluster with"
                            + " parallelism "
                            + dev.flowfn.bench.infra.BenchFlink.PARALLELISM
                            + "; idle unload shortened to "
                            + profile.idleUnload().toSeconds()
                            + " s (default 10 min)");
        } finally {
            p.flink.cancel(job);
            p.functions.deleteAll();
        }
    }

    /**
     * The median of three after-GC heap readings half a second apart (the running job's buffers
     * move the reading by a few MiB); {@code noise} keeps the widest {min, max} spread seen.
     */
    private static long stableHeap(long[] noise) {
        long[] v = new long[3];
        for (int i = 0; i < v.length; i++) {
            v[i] = Memory.heapAfterGc();
            Clock.sleep(500);
        }
        java.util.Arrays.sort(v);
        if (noise[1] - noise[0] < v[2] - v[0]) {
            noise[0] = v[0];
            noise[1] = v[2];
        }
        return v[1];
    }

    /** One event on the shared topic triggers all n functions; waits for their n results. */
    private void runEachOnce(String topic, String prefix, int n) throws Exception {
        AtomicLong results = new AtomicLong();
        byte[] marker = prefix.getBytes(StandardCharsets.UTF_8);
        try (ResultTap tap =
                        new ResultTap(
                                p.kafka,
                                Topics.RESULTS,
                                false,
                                (r, at) -> {
                                    if (contains(r.value(), marker)) {
                                        results.incrementAndGet();
                                    }
                                });
                KafkaProducer<byte[], byte[]> producer = p.kafka.producer(Map.of())) {
            producer.send(
                            new ProducerRecord<>(
                                    topic,
                                    "once".getBytes(StandardCharsets.UTF_8),
                                    Events.payload(0)))
                    .get();
            long deadline = System.nanoTime() + 300_000_000_000L;
            while (results.get() < n) {
                tap.check();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "only " + results.get() + " of " + n + " functions ran within 300 s");
                }
                Clock.sleep(50);
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /**
     * Heap per function against the size of the function's spec record (what the registry holds).
     */
    private static Report.Row row(
            String name,
            long heap,
            long none,
            int n,
            double specKib,
            Double goalKib,
            Map<String, Object> d) {
        double perFunctionKib = (heap - none) / 1024.0 / n;
        return new Report.Row(
                name,
                perFunctionKib,
                specKib,
                "KiB",
                "the function's spec record on flowfn.functions",
                goalKib == null ? "none set" : "< " + goalKib.intValue() + " KiB per idle function",
                goalKib == null ? null : perFunctionKib < goalKib,
                d,
                null,
                String.format(
                        java.util.Locale.ROOT,
                        "job heap %.0f MiB, %.0f MiB with none",
                        heap / 1048576.0,
                        none / 1048576.0),
                null);
    }
}
