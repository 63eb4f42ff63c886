package dev.flowfn.bench;

import dev.flowfn.bench.infra.NoopCode;
import dev.flowfn.job.runtime.Completion;
import dev.flowfn.job.runtime.LoadOutcome;
import dev.flowfn.job.runtime.WorkerConfig;
import dev.flowfn.job.runtime.WorkerConnection;
import dev.flowfn.job.runtime.WorkerExit;
import dev.flowfn.job.runtime.WorkerListener;
import dev.flowfn.job.runtime.WorkerRuntime;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The runtime protocol alone: the job's {@link WorkerConnection} and one worker, no Kafka and no
 * Flink. The no-op function of a runtime is loaded, and as many invocations as the job keeps
 * outstanding at a fast worker are kept in flight: each batch of results is answered at once with
 * as many new INVOKEs, on the connection's reader thread, as the worker pool does. Measures the CPU
 * each invocation costs the job (the connection's reader and writer threads) and the worker (its
 * whole process), with the protocol the job speaks to it.
 */
final class WorkerRoundTrip {

    /** What one measurement gave. */
    record Cost(
            int protocol, long invocations, double seconds, double jobMicros, double workerMicros) {

        double totalMicros() {
            return jobMicros + workerMicros;
        }

        double perSecond() {
            return invocations / seconds;
        }

        Map<String, Object> details() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("protocol", protocol);
            d.put("invocations", invocations);
            d.put("seconds", Math.round(seconds * 1000) / 1000.0);
            d.put("jobMicrosPerInvocation", Math.round(jobMicros * 100) / 100.0);
            d.put("workerMicrosPerInvocation", Math.round(workerMicros * 100) / 100.0);
            return d;
        }
    }

    private static final long CLOCK_TICK_NANOS = 10_000_000L; // USER_HZ 100, as on Linux

    private final Path sdkHome;
    private final Path dir;

    WorkerRoundTrip(Path sdkHome, Path dir) {
        this.sdkHome = sdkHome;
        this.dir = dir;
    }

    /**
     * Runs {@code runtime}'s no-op on a fresh worker for {@code warmup}, then measures for {@code
     * measure}.
     *
     * @param protocol the highest the job speaks to the worker (1: INVOKE with a JSON header; 2:
     *     INVOKE_COMPACT)
     */
    Cost measure(String runtime, int protocol, Duration warmup, Duration measure) throws Exception {
        WorkerRuntime rt = WorkerRuntime.of(runtime);
        Code code = code(runtime);
        String workerId = "rt-" + runtime + "-p" + protocol + "-" + System.nanoTime() % 100_000;
        AtomicLong done = new AtomicLong();
        AtomicReference<WorkerConnection> connection = new AtomicReference<>();
        AtomicReference<String> exited = new AtomicReference<>();
        AtomicLong sequence = new AtomicLong();
        WorkerListener listener =
                new WorkerListener() {
                    @Override
                    public void onResults(List<Completion> completions) {
                        for (Completion c : completions) {
                            if (!c.succeeded()) {
                                exited.compareAndSet(null, "an invocation failed: " + c);
                            }
                        }
                        done.addAndGet(completions.size());
                        connection.get().invoke(invokes(completions.size(), sequence));
                    }

                    @Override
                    public void onWorkerExit(WorkerExit exit) {
                        exited.compareAndSet(null, "the worker exited: " + exit.reason());
                    }
                };
        WorkerConfig config =
                WorkerConfig.builder(rt, sdkHome)
                        .setWorkerId(workerId)
                        .setConcurrency(rt.maxWorkerConcurrency())
                        .setProtocol(protocol)
                        .build();
        try (WorkerConnection c = WorkerConnection.open(config, listener)) {
            connection.set(c);
            LoadOutcome loaded =
                    c.load(FUNCTION, 1, code.handler(), code.dir(), 0, Map.of())
                            .get(30, TimeUnit.SECONDS);
            if (loaded.failure() != null) {
                throw new IllegalStateException(
                        runtime + " no-op did not load: " + loaded.message());
            }
            c.invoke(invokes(rt.maxWorkerConcurrency() * rt.fastDepth(), sequence));
            Thread.sleep(warmup.toMillis());
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            List<Long> jobThreads = connectionThreads(workerId);
            long d0 = done.get();
            long job0 = cpuNanos(threads, jobThreads);
            long worker0 = processCpuNanos(c.pid());
            long t0 = System.nanoTime();
            Thread.sleep(measure.toMillis());
            long d = done.get() - d0;
            long job = cpuNanos(threads, jobThreads) - job0;
            long worker = processCpuNanos(c.pid()) - worker0;
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (exited.get() != null || d == 0) {
                throw new IllegalStateException(
                        runtime + " round trip: " + (d == 0 ? "no result" : exited.get()));
            }
            return new Cost(protocol, d, seconds, job / 1000.0 / d, worker / 1000.0 / d);
        }
    }

    private static final String FUNCTION = "noop-round-trip";

    /** Invocations as a Kafka trigger makes them: ids of 40-odd characters, 100 bytes of data. */
    private static List<Invoke> invokes(int n, AtomicLong sequence) {
        List<Invoke> batch = new ArrayList<>(n);
        long now = System.currentTimeMillis();
        for (int i = 0; i < n; i++) {
            long k = sequence.incrementAndGet();
            String event = "bench.round-trip/0/" + k;
            batch.add(
                    new Invoke(
                            event + "/" + FUNCTION,
                            FUNCTION,
                            1,
                            1,
                            now + 60_000,
                            256,
                            new InvokeEvent(
                                    event,
                                    "kafka://bench.round-trip/0",
                                    "kafka.record",
                                    "k" + k % 1000,
                                    now,
                                    null,
                                    false,
                                    Map.of()),
                            DATA));
        }
        return batch;
    }

    private static final byte[] DATA = new byte[100];

    /** The reader and writer threads of the connection to worker {@code workerId}. */
    private static List<Long> connectionThreads(String workerId) {
        String prefix = "flowfn-worker-" + workerId + "-";
        List<Long> ids = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith(prefix)) {
                ids.add(t.getId());
            }
        }
        if (ids.isEmpty()) {
            throw new IllegalStateException("no thread named " + prefix + "*");
        }
        return ids;
    }

    private static long cpuNanos(ThreadMXBean threads, List<Long> ids) {
        long sum = 0;
        for (long id : ids) {
            sum += Math.max(0, threads.getThreadCpuTime(id));
        }
        return sum;
    }

    /** User and system CPU of a process so far, from /proc (Linux). */
    private static long processCpuNanos(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * CLOCK_TICK_NANOS;
    }

    /** The no-op's code as the worker loads it, and its handler. */
    private record Code(Path dir, String handler) {}

    /** The jar in a folder of its own, or the zip unpacked. */
    private Code code(String runtime) throws IOException {
        Path target = dir.resolve("round-trip-" + runtime + "-" + System.nanoTime());
        NoopCode noop = NoopCode.write(runtime, dir.resolve("round-trip-archives"), "round-trip");
        Path archive = Path.of(URI.create(noop.codeUri()));
        Files.createDirectories(target);
        if (runtime.equals(NoopCode.JAVA)) {
            Files.copy(archive, target.resolve("function.jar"));
            return new Code(target, noop.handler());
        }
        try (InputStream in = Files.newInputStream(archive);
                ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                Files.write(target.resolve(e.getName()), zip.readAllBytes());
            }
        }
        return new Code(target, noop.handler());
    }
}
