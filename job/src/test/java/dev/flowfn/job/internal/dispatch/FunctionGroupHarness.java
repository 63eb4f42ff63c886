package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drives a function group the way the operator does: the test thread is the task thread and runs
 * the mailbox; what the group emits and meters is kept for the tests to read.
 */
abstract class FunctionGroupHarness {

    static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    static final AvroCodec<DeadLetter> LETTERS = AvroCodec.of(DeadLetter.class);
    static final AvroCodec<LogRecord> LOGS = AvroCodec.of(LogRecord.class);

    @TempDir Path dir;

    /** The worker pool's settings; null (the default) for a group without workers. */
    WorkerPool.Settings workers() {
        return null;
    }

    /** The test's stand-in for the task thread's mailbox. */
    final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();

    final List<OutputRecord> out = new ArrayList<>();
    final List<Long> billed = new ArrayList<>();
    DispatchRuntime runtime;
    FunctionGroup group;

    final FunctionGroup.Host host =
            new FunctionGroup.Host() {
                @Override
                public void emit(OutputRecord record) {
                    out.add(record);
                }

                @Override
                public void metered(
                        FunctionSpec spec,
                        long endMillis,
                        long billedMs,
                        boolean success,
                        boolean deadLettered) {
                    billed.add(billedMs);
                }

                @Override
                public void later(long delayMillis, Runnable action) {
                    Thread t =
                            new Thread(
                                    () -> {
                                        sleep(delayMillis);
                                        mailbox.add(action);
                                    });
                    t.setDaemon(true);
                    t.start();
                }

                @Override
                public void completionsReady() {
                    mailbox.add(() -> group.drainCompletions());
                }
            };

    @BeforeEach
    void start() {
        startWithIdleUnload(Duration.ofMinutes(10));
    }

    /** (Re)starts the runtime and the group: loaded code is dropped after {@code idleUnload}. */
    void startWithIdleUnload(Duration idleUnload) {
        if (runtime != null) {
            runtime.close();
        }
        runtime =
                new DispatchRuntime(
                        new DispatchRuntime.Settings(
                                null,
                                null,
                                null,
                                dir.resolve("cache").toString(),
                                idleUnload,
                                100,
                                null,
                                workers()),
                        "test",
                        DispatchMetrics.NONE);
        group = new FunctionGroup(runtime, host, false, true);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    /** Runs the mailbox until nothing is in flight. */
    void runUntilIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (group.inFlight() > 0) {
            Runnable mail = mailbox.poll(50, TimeUnit.MILLISECONDS);
            if (mail != null) {
                mail.run();
            }
            assertThat(System.nanoTime()).as("all invocations end in time").isLessThan(end);
        }
    }

    List<InvocationResult> results() {
        return out.stream()
                .filter(r -> r.topic.equals(Topics.RESULTS))
                .map(r -> RESULTS.decode(r.value))
                .toList();
    }

    List<DeadLetter> letters() {
        return out.stream()
                .filter(r -> r.topic.equals(Topics.DLQ))
                .map(r -> LETTERS.decode(r.value))
                .toList();
    }

    FunctionSpec spec(
            String name,
            Class<?> handler,
            long timeoutMs,
            int concurrency,
            Map<String, String> env,
            int maxAttempts)
            throws Exception {
        byte[] jar = TestJars.containing(handler);
        Path file = dir.resolve(name + ".jar");
        Files.write(file, jar);
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setRuntime("java-embedded")
                .setHandler(handler.getName())
                .setCodeUri(file.toUri().toString())
                .setCodeSha256(TestJars.sha256(jar))
                .setTimeoutMs(timeoutMs)
                .setMaxConcurrency(concurrency)
                .setEnv(env)
                .setRetry(
                        RetryPolicy.newBuilder()
                                .setMaxAttempts(maxAttempts)
                                .setBackoffMs(1)
                                .build())
                .setDeployedAt(Instant.EPOCH)
                .build();
    }

    static Invocation invocation(FunctionSpec spec, String key, String data) {
        Event event =
                Event.newBuilder()
                        .setId("e-" + spec.getName() + "-" + data)
                        .setSource("test")
                        .setType("test")
                        .setSubject(key)
                        .setTime(Instant.EPOCH)
                        .setDatacontenttype("text/plain")
                        .setData(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)))
                        .build();
        return new Invocation(key, spec, event, event.getId() + "/" + spec.getName(), key);
    }

    static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
