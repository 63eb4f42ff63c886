package dev.flowfn.bench;

import static dev.flowfn.bench.infra.NoopCode.JAVA;
import static dev.flowfn.bench.infra.NoopCode.JAVA_EMBEDDED;
import static dev.flowfn.bench.infra.NoopCode.NODEJS;
import static dev.flowfn.bench.infra.NoopCode.PYTHON;

import dev.flowfn.bench.infra.Clock;
import dev.flowfn.bench.infra.Events;
import dev.flowfn.bench.infra.Memory;
import dev.flowfn.bench.infra.NoopCode;
import dev.flowfn.bench.infra.OffsetProgress.Throughput;
import dev.flowfn.bench.infra.ResultTap;
import dev.flowfn.bench.infra.ThreadDump;
import dev.flowfn.bench.infra.WorkerProcesses;
import dev.flowfn.job.runtime.WorkerConfig;
import dev.flowfn.job.runtime.WorkerRuntime;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Scenario 11 (issue 13): the no-op function in each runtime, end to end on the in-JVM platform as
 * scenario 1 (Kafka broker, MiniCluster, the Flowfn job with its worker pool, specs written to
 * {@code flowfn.functions} with {@code file:} code URIs). Three figures per runtime, each against
 * java-embedded or the bare runtime measured in the same run: the steady throughput from a backlog,
 * the first invocation of a fresh version (event sent -> result written), and the resident memory
 * of an idle worker.
 */
final class RuntimesScenario {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final List<String> WORKER_RUNTIMES = List.of(JAVA, NODEJS, PYTHON);
    private static final Map<String, Double> THROUGHPUT_GOALS =
            Map.of(JAVA, 0.5, NODEJS, 0.3, PYTHON, 0.3);
    private static final Map<String, Double> COLD_START_GOALS_MS =
            Map.of(JAVA, 500.0, NODEJS, 300.0);
    private static final Duration IDLE_SETTLE = Duration.ofSeconds(3);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(60);

    /** One invocation: event sent -> attempt started and -> result read back, in ms. */
    private record Call(double toStartMs, double toResultMs) {}

    /** A result as the tap saw it arrive (epoch µs). */
    private record Arrival(long atMicros, InvocationResult result) {}

    private final BenchPlatform p;
    private final Profile profile;
    private final ThroughputScenarios throughput;
    private final Path code;

    RuntimesScenario(BenchPlatform platform) {
        this.p = platform;
        this.profile = platform.profile;
        this.throughput = new ThroughputScenarios(platform);
        this.code = platform.dir.resolve("runtime-code");
    }

    void run(Report report) throws Exception {
        Report.Scenario s = report.scenario(11, "Runtimes");
        s.runtime(
                "java-embedded, java, nodejs and python, as each row says (set in each spec the"
                        + " harness writes to flowfn.functions)");
        Map<String, List<Call>> cold = byRuntime();
        Map<String, List<Call>> warm = byRuntime();
        Map<String, List<Long>> rss = byRuntime();
        Map<String, Long> bare = new LinkedHashMap<>();
        coldStartsAndMemory(cold, warm, rss, bare);
        Map<String, List<Throughput>> rounds = byRuntime();
        throughputRounds(rounds);

        Map<String, List<WorkerRoundTrip.Cost>> compact = byRuntime();
        Map<String, List<WorkerRoundTrip.Cost>> json = byRuntime();
        roundTrips(compact, json);

        throughputRows(s, rounds);
        roundTripRows(s, compact, json);
        coldStartRows(s, cold, warm);
        memoryRows(s, rss, bare);
        notes(s);
    }

    // ---- cold starts and idle memory: one job, a fresh function per sample

    private void coldStartsAndMemory(
            Map<String, List<Call>> cold,
            Map<String, List<Call>> warm,
            Map<String, List<Long>> rss,
            Map<String, Long> bare)
            throws Exception {
        String prefix = p.unique("bench.cold");
        List<String> topics = new ArrayList<>();
        for (int i = 0; i < profile.coldStarts(); i++) {
            for (String runtime : NoopCode.RUNTIMES) {
                topics.add(prefix + "-" + runtime + "-" + i);
            }
        }
        p.kafka.createTopics(topics);
        Instant since = Instant.now();
        JobID job = p.startFlowfn(Pattern.quote(prefix) + "-.+");
        Map<String, BlockingQueue<Arrival>> arrivals = new ConcurrentHashMap<>();
        try (ResultTap tap =
                        new ResultTap(
                                p.kafka,
                                Topics.RESULTS,
                                false,
                                (r, at) -> {
                                    InvocationResult result = RESULTS.decode(r.value());
                                    BlockingQueue<Arrival> q = arrivals.get(result.getFunction());
                                    if (q != null) {
                                        q.add(new Arrival(at, result));
                                    }
                                });
                KafkaProducer<byte[], byte[]> producer = p.kafka.producer(Map.of())) {
            // sample by sample, every runtime in turn: the machine's drift spreads over all
            for (int i = 0; i < profile.coldStarts(); i++) {
                for (String runtime : NoopCode.RUNTIMES) {
                    String topic = prefix + "-" + runtime + "-" + i;
                    String name = p.unique("cold-" + runtime);
                    BlockingQueue<Arrival> mine = new LinkedBlockingQueue<>();
                    arrivals.put(name, mine);
                    p.functions.deploy(
                            p.functions.spec(name, NoopCode.write(runtime, code, name), topic));
                    p.functions.awaitReady(Duration.ofSeconds(60)); // the job knows it now
                    Runnable alive = p.alive(job);
                    cold.get(runtime).add(call(producer, tap, alive, topic, name, mine));
                    for (int w = 0; w < profile.warmCalls(); w++) {
                        warm.get(runtime).add(call(producer, tap, alive, topic, name, mine));
                    }
                }
            }
            Clock.sleep(IDLE_SETTLE.toMillis());
            Map<String, List<Long>> pids = WorkerProcesses.workers(since);
            for (String runtime : WORKER_RUNTIMES) {
                for (long pid : pids.getOrDefault(runtime, List.of())) {
                    long bytes = Memory.rss(pid);
                    if (bytes > 0) {
                        rss.get(runtime).add(bytes);
                    }
                }
                if (rss.get(runtime).isEmpty()) {
                    throw new IllegalStateException(
                            "no "
                                    + runtime
                                    + " worker process found among this JVM's children: "
                                    + pids);
                }
            }
            bare.putAll(bareRuntimes());
        } finally {
            p.flink.cancel(job);
        }
    }

    /** Sends one event and waits for its function's result; a failed invocation fails the run. */
    private static Call call(
            KafkaProducer<byte[], byte[]> producer,
            ResultTap tap,
            Runnable alive,
            String topic,
            String name,
            BlockingQueue<Arrival> results)
            throws Exception {
        long sent = Clock.micros();
        producer.send(
                new ProducerRecord<>(
                        topic, "k".getBytes(StandardCharsets.UTF_8), Events.payload(sent)));
        producer.flush();
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        Arrival a;
        while ((a = results.poll(1, TimeUnit.SECONDS)) == null) {
            tap.check();
            alive.run();
            if (System.nanoTime() > deadline) {
                String why = "no result of " + name + " within " + CALL_TIMEOUT.toSeconds() + " s";
                ThreadDump.toLog(why);
                throw new IllegalStateException(why + " (the job's threads are in bench.log)");
            }
        }
        InvocationResult r = a.result();
        if (!r.getSuccess()) {
            throw new IllegalStateException(
                    name + " failed: " + r.getFailureKind() + ": " + r.getError());
        }
        return new Call((r.getStartMicros() - sent) / 1000.0, (a.atMicros() - sent) / 1000.0);
    }

    /** VmRSS of each bare runtime, idle for {@link #IDLE_SETTLE} after its start. */
    private static Map<String, Long> bareRuntimes() throws Exception {
        Map<String, Process> started = new LinkedHashMap<>();
        Map<String, Long> rss = new LinkedHashMap<>();
        try {
            for (String runtime : WORKER_RUNTIMES) {
                started.put(runtime, WorkerProcesses.startBare(WorkerRuntime.of(runtime), 256));
            }
            Clock.sleep(IDLE_SETTLE.toMillis());
            started.forEach((runtime, process) -> rss.put(runtime, Memory.rss(process.pid())));
        } finally {
            for (Process process : started.values()) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        rss.forEach(
                (runtime, bytes) -> {
                    if (bytes == 0) {
                        throw new IllegalStateException(
                                "the bare " + runtime + " runtime exited before it was measured");
                    }
                });
        return rss;
    }

    // ---- throughput: a job per round and runtime, as scenario 1

    private void throughputRounds(Map<String, List<Throughput>> rounds) throws Exception {
        if (profile.warmupJob()) {
            // the first jobs in a JVM run slower (JIT): one throwaway round per runtime, as
            // scenario 1 does for its job. Each runtime has code of its own in the job (the worker
            // pool, the connection's reader and writer, the protocol's codecs), compiled while its
            // first round runs: in a first round measured, the compiler threads took a third of the
            // JVM's CPU time. The workers themselves are new processes in every round.
            for (String runtime : NoopCode.RUNTIMES) {
                round(runtime, backlog(runtime) / 4, Duration.ofSeconds(1), Duration.ofSeconds(3));
            }
        }
        // The vCPUs of these machines switch between two speeds, for seconds or minutes at a time:
        // the same Python loop takes 10-11 ms or 16-18 ms, with no steal time reported. Two rounds
        // often caught one runtime at the slow speed only (83,854 and 121,148 events/s for python
        // in one run), so each runtime gets more rounds, its best one counting.
        for (int r = 0; r < profile.runtimeRounds(); r++) {
            for (String runtime : NoopCode.RUNTIMES) {
                rounds.get(runtime)
                        .add(
                                round(
                                        runtime,
                                        backlog(runtime),
                                        profile.throughputWarmup(),
                                        profile.throughputMeasure()));
            }
        }
    }

    private long backlog(String runtime) {
        return runtime.equals(JAVA_EMBEDDED) ? profile.backlog() : profile.workerBacklog();
    }

    private Throughput round(String runtime, long records, Duration warmup, Duration measure)
            throws Exception {
        String topic = p.unique("bench.rt-" + runtime);
        p.kafka.createTopics(List.of(topic));
        String name = p.unique("rt-" + runtime);
        p.functions.deploy(p.functions.spec(name, NoopCode.write(runtime, code, name), topic));
        long lettersBefore = deadLetters();
        Throughput t;
        try (Events.Backlog backlog = Events.backlog(p.kafka, List.of(topic), records)) {
            t = throughput.measureFlowfn(Pattern.quote(topic), backlog, warmup, measure, false);
        }
        long letters = deadLetters() - lettersBefore;
        if (letters > 0) {
            throw new IllegalStateException(
                    letters
                            + " events of the "
                            + runtime
                            + " no-op function were dead-lettered: it failed (bench.log has the"
                            + " job's log)");
        }
        return t;
    }

    /** Records on the dead-letter topic, committed or not. */
    private long deadLetters() {
        try (KafkaConsumer<byte[], byte[]> c = p.kafka.consumer(false)) {
            List<TopicPartition> partitions =
                    c.partitionsFor(Topics.DLQ).stream()
                            .map(i -> new TopicPartition(i.topic(), i.partition()))
                            .toList();
            return dev.flowfn.bench.infra.BenchKafka.endOffsetSum(c, partitions);
        }
    }

    // ---- the runtime protocol alone: INVOKE_COMPACT against INVOKE, rounds alternated

    private void roundTrips(
            Map<String, List<WorkerRoundTrip.Cost>> compact,
            Map<String, List<WorkerRoundTrip.Cost>> json)
            throws Exception {
        WorkerRoundTrip trips = new WorkerRoundTrip(WorkerConfig.sdkHomeFromSystemProperty(), code);
        Duration warmup = profile.roundTripMeasure().dividedBy(3);
        for (int round = 0; round < profile.throughputRounds(); round++) {
            for (String runtime : WORKER_RUNTIMES) {
                compact.get(runtime)
                        .add(trips.measure(runtime, 2, warmup, profile.roundTripMeasure()));
                json.get(runtime)
                        .add(trips.measure(runtime, 1, warmup, profile.roundTripMeasure()));
            }
        }
    }

    // ---- the report

    private void throughputRows(Report.Scenario s, Map<String, List<Throughput>> rounds) {
        Throughput base = best(rounds.get(JAVA_EMBEDDED));
        for (String runtime : WORKER_RUNTIMES) {
            Throughput t = best(rounds.get(runtime));
            double goal = THROUGHPUT_GOALS.get(runtime);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("backlogEvents", backlog(runtime));
            d.put("rounds", rounds.get(runtime).stream().map(Throughput::details).toList());
            d.put("javaEmbeddedBacklogEvents", backlog(JAVA_EMBEDDED));
            d.put(
                    "javaEmbeddedRounds",
                    rounds.get(JAVA_EMBEDDED).stream().map(Throughput::details).toList());
            s.row(
                    new Report.Row(
                            "events/s at steady rate, 1 no-op function, runtime "
                                    + runtime
                                    + " "
                                    + where(runtime),
                            t.writtenPerSecond(),
                            base.writtenPerSecond(),
                            "events/s",
                            "the same with runtime java-embedded (in the TaskManager), this run;"
                                    + " rounds "
                                    + range(rounds.get(runtime))
                                    + " against "
                                    + range(rounds.get(JAVA_EMBEDDED)),
                            ">= " + goal + "x java-embedded",
                            t.writtenPerSecond() / base.writtenPerSecond() >= goal,
                            d,
                            null));
        }
    }

    private void roundTripRows(
            Report.Scenario s,
            Map<String, List<WorkerRoundTrip.Cost>> compact,
            Map<String, List<WorkerRoundTrip.Cost>> json) {
        for (String runtime : WORKER_RUNTIMES) {
            WorkerRoundTrip.Cost c = cheapest(compact.get(runtime));
            WorkerRoundTrip.Cost j = cheapest(json.get(runtime));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put(
                    "invokeCompact",
                    compact.get(runtime).stream().map(WorkerRoundTrip.Cost::details).toList());
            d.put(
                    "invokeJson",
                    json.get(runtime).stream().map(WorkerRoundTrip.Cost::details).toList());
            s.row(
                    new Report.Row(
                            "CPU per no-op invocation over the runtime protocol alone, runtime "
                                    + runtime
                                    + " (INVOKE_COMPACT; job + worker)",
                            c.totalMicros(),
                            j.totalMicros(),
                            "µs",
                            "the same worker sent INVOKE (JSON header, protocol 1) instead, this run",
                            "none set",
                            null,
                            d,
                            null,
                            jobAndWorker(c),
                            jobAndWorker(j)));
        }
    }

    private static String jobAndWorker(WorkerRoundTrip.Cost c) {
        return String.format(
                Locale.ROOT,
                "job %.2f + worker %.2f µs; %,.0f invocations/s",
                c.jobMicros(),
                c.workerMicros(),
                c.perSecond());
    }

    private static WorkerRoundTrip.Cost cheapest(List<WorkerRoundTrip.Cost> costs) {
        return costs.stream()
                .min(Comparator.comparingDouble(WorkerRoundTrip.Cost::totalMicros))
                .orElseThrow();
    }

    private void coldStartRows(
            Report.Scenario s, Map<String, List<Call>> cold, Map<String, List<Call>> warm) {
        double embedded = median(cold.get(JAVA_EMBEDDED), Call::toResultMs);
        for (String runtime : NoopCode.RUNTIMES) {
            double figure = median(cold.get(runtime), Call::toResultMs);
            double warmMs = median(warm.get(runtime), Call::toResultMs);
            Double goal = COLD_START_GOALS_MS.get(runtime);
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("coldToResultMs", values(cold.get(runtime), Call::toResultMs));
            d.put("coldToAttemptStartMs", values(cold.get(runtime), Call::toStartMs));
            d.put("warmToResultMs", values(warm.get(runtime), Call::toResultMs));
            d.put("warmToAttemptStartMs", values(warm.get(runtime), Call::toStartMs));
            String name =
                    "first invocation of a fresh version, event sent -> result written, runtime "
                            + runtime
                            + " (median of "
                            + cold.get(runtime).size()
                            + ")";
            String extra =
                    String.format(
                            Locale.ROOT,
                            "to attempt start %.1f ms; warm %.1f ms",
                            median(cold.get(runtime), Call::toStartMs),
                            warmMs);
            if (!runtime.equals(JAVA_EMBEDDED)) {
                // the run's first of a runtime starts a process; later ones load into its spare
                extra +=
                        String.format(
                                Locale.ROOT,
                                "; the first, with no spare yet: %.1f ms",
                                cold.get(runtime).get(0).toResultMs());
            }
            boolean isBaseline = runtime.equals(JAVA_EMBEDDED);
            s.row(
                    new Report.Row(
                            name,
                            figure,
                            isBaseline ? warmMs : embedded,
                            "ms",
                            isBaseline
                                    ? "a warm invocation of it, same path (median)"
                                    : "runtime java-embedded's first invocation of a fresh version,"
                                            + " same path (median)",
                            goal == null ? "none set" : "< " + goal.intValue() + " ms",
                            goal == null ? null : figure < goal,
                            d,
                            null,
                            extra,
                            null));
        }
    }

    private void memoryRows(
            Report.Scenario s, Map<String, List<Long>> rss, Map<String, Long> bare) {
        for (String runtime : WORKER_RUNTIMES) {
            long[] sorted = rss.get(runtime).stream().mapToLong(Long::longValue).sorted().toArray();
            double figure = sorted[sorted.length / 2] / 1048576.0;
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("workerRssMiB", Arrays.stream(sorted).mapToObj(Memory::mib).toList());
            d.put("bareRssMiB", Memory.mib(bare.get(runtime)));
            s.row(
                    new Report.Row(
                            "resident memory of an idle worker, runtime "
                                    + runtime
                                    + " (median of "
                                    + sorted.length
                                    + " workers)",
                            figure,
                            bare.get(runtime) / 1048576.0,
                            "MiB",
                            "the bare runtime idle: the worker's command line, its program replaced"
                                    + " by a sleep",
                            "none set",
                            null,
                            d,
                            null,
                            String.format(
                                    Locale.ROOT,
                                    "%.1f-%.1f MiB",
                                    Memory.mib(sorted[0]),
                                    Memory.mib(sorted[sorted.length - 1])),
                            null));
        }
    }

    private void notes(Report.Scenario s) {
        s.note(
                "end to end on the in-JVM platform, as scenario 1: a Kafka broker, a Flink"
                        + " MiniCluster running the Flowfn job (parallelism 2) with its worker pool"
                        + " (default settings: a worker runs 16 invocations at once, so one worker"
                        + " per version at the functions' concurrency 16, shared by both parallel"
                        + " instances, -Xmx/heap limit from --memory 256), specs written to"
                        + " flowfn.functions with file: code URIs; the no-op handler is Noop (Java),"
                        + " () => Result.empty() (Node.js), return Result.empty() (Python)");
        s.note(
                String.format(
                        Locale.ROOT,
                        "throughput: rate of results written by the exactly-once sink from %d ms"
                                + " after the first result for up to %.1f s (or until 90%% of the"
                                + " backlog), best of %d round(s) after one throwaway round per"
                                + " runtime (JIT), the runtimes in turn within each"
                                + " round, each round a job of its own over a fresh topic and"
                                + " function; backlog %,d events for java-embedded, %,d for the"
                                + " worker runtimes, keys k0..k999; the worker's start comes before"
                                + " the first result, so it is not in the rate; no event was"
                                + " dead-lettered",
                        profile.throughputWarmup().toMillis(),
                        profile.throughputMeasure().toMillis() / 1000.0,
                        profile.runtimeRounds(),
                        profile.backlog(),
                        profile.workerBacklog()));
        s.note(
                String.format(
                        Locale.ROOT,
                        "CPU per no-op invocation over the runtime protocol alone: the job's"
                                + " WorkerConnection and one worker (concurrency as the pool"
                                + " gives it), no Kafka and no Flink, the invocations the job"
                                + " keeps outstanding at a fast worker always in flight (each"
                                + " batch of results answered at once with as many new INVOKEs,"
                                + " 40-character ids, 100 bytes of data); the job's CPU is its"
                                + " connection's reader and writer threads, the worker's its whole"
                                + " process (/proc, user and system); %.1f s warm-up then %.1f s"
                                + " measured, cheapest of %d round(s), INVOKE_COMPACT and INVOKE"
                                + " alternated on fresh workers",
                        profile.roundTripMeasure().dividedBy(3).toMillis() / 1000.0,
                        profile.roundTripMeasure().toMillis() / 1000.0,
                        profile.throughputRounds()));
        s.note(
                "cold start: "
                        + profile.coldStarts()
                        + " fresh functions per runtime, the runtimes in turn, each with a name and"
                        + " code of its own (so a worker process of its own, or a new class loader"
                        + " for java-embedded), deployed while the job runs and known to it (a probe"
                        + " function answered) before its one event is sent; from the send to the"
                        + " result read back uncommitted (when the job wrote it, as the HTTP gateway's pushed replies see it):"
                        + " Kafka to the job, the code fetched from its file: URI, checked and"
                        + " unpacked, the worker started to HELLO (the run's first of a runtime) or"
                        + " taken from the pool's spare of that kind (the later ones: the spare"
                        + " started after the previous worker), LOAD, the INVOKE, the sink's"
                        + " write. 'to attempt start': until the job handed the invocation to a"
                        + " loaded worker; warm: "
                        + profile.warmCalls()
                        + " more invocations of each, one at a time");
        s.note(
                "memory: VmRSS (/proc/<pid>/status) of the cold-start functions' workers, each"
                        + " idle "
                        + IDLE_SETTLE.toSeconds()
                        + " s after serving "
                        + (1 + profile.warmCalls())
                        + " invocations (the spare waiting for the next version is not one of"
                        + " them); baseline: node -e setInterval(...) with the worker's"
                        + " --max-old-space-size, python3 -c sleep, java with the worker's flags"
                        + " (-Xmx256m, serial GC) running a class that sleeps, each idle "
                        + IDLE_SETTLE.toSeconds()
                        + " s. java-embedded has no process of its own: its handlers share the"
                        + " TaskManager's heap (scenario 7: job heap per function)");
    }

    private static String where(String runtime) {
        return switch (runtime) {
            case JAVA -> "(worker JVM)";
            case NODEJS -> "(Node.js worker)";
            case PYTHON -> "(Python worker)";
            default -> "(in the TaskManager)";
        };
    }

    private static <T> Map<String, List<T>> byRuntime() {
        Map<String, List<T>> m = new LinkedHashMap<>();
        NoopCode.RUNTIMES.forEach(r -> m.put(r, new ArrayList<>()));
        return m;
    }

    private static Throughput best(List<Throughput> rounds) {
        return rounds.stream()
                .max(Comparator.comparingDouble(Throughput::writtenPerSecond))
                .orElseThrow();
    }

    /** The lowest and highest rate of the rounds, as {@code 84,010-121,148}. */
    private static String range(List<Throughput> rounds) {
        DoubleSummaryStatistics rates =
                rounds.stream().mapToDouble(Throughput::writtenPerSecond).summaryStatistics();
        return String.format(Locale.ROOT, "%,.0f-%,.0f", rates.getMin(), rates.getMax());
    }

    private static double median(
            List<Call> calls, java.util.function.ToDoubleFunction<Call> value) {
        double[] v = calls.stream().mapToDouble(value).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static List<Double> values(
            List<Call> calls, java.util.function.ToDoubleFunction<Call> value) {
        return calls.stream().map(c -> Math.round(value.applyAsDouble(c) * 10) / 10.0).toList();
    }
}
