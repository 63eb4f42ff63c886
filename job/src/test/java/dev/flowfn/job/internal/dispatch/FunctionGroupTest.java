package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.testfns.Sleepy;
import dev.flowfn.job.testfns.Spinner;
import dev.flowfn.job.testfns.Thrower;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
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
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The function group with real handlers loaded from jars, driven the way the operator drives it:
 * the test thread is the task thread and runs the mailbox.
 */
class FunctionGroupTest {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);
    private static final AvroCodec<DeadLetter> LETTERS = AvroCodec.of(DeadLetter.class);

    @TempDir Path dir;

    /** The test's stand-in for the task thread's mailbox. */
    private final LinkedBlockingQueue<Runnable> mailbox = new LinkedBlockingQueue<>();

    private final List<OutputRecord> out = new ArrayList<>();
    private final List<Long> billed = new ArrayList<>();
    private DispatchRuntime runtime;
    private FunctionGroup group;

    private final FunctionGroup.Host host =
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
        runtime =
                new DispatchRuntime(
                        new DispatchRuntime.Settings(
                                null,
                                null,
                                null,
                                dir.resolve("cache").toString(),
                                Duration.ofMinutes(10),
                                100,
                                null),
                        "test",
                        DispatchMetrics.NONE);
        group = new FunctionGroup(runtime, host, false, true);
    }

    @AfterEach
    void stop() {
        runtime.close();
    }

    @Test
    void eachKeysInvocationsRunOneAtATimeInTheirOrder() throws Exception {
        FunctionSpec spec = spec("sleepy", Sleepy.class, 1_000, 8, Map.of("SLEEP_MS", "2"), 1);
        for (int i = 0; i < 30; i++) {
            for (String key : List.of("a", "b", "c")) {
                group.submit(invocation(spec, key, key + ":" + i));
            }
        }
        runUntilIdle(Duration.ofSeconds(30));

        Map<String, List<Integer>> byKey =
                results().stream()
                        .map(r -> text(r.getData()))
                        .collect(
                                Collectors.groupingBy(
                                        s -> s.substring(0, 1),
                                        Collectors.mapping(
                                                s -> Integer.parseInt(s.substring(2)),
                                                Collectors.toList())));
        List<Integer> inOrder = java.util.stream.IntStream.range(0, 30).boxed().toList();
        assertThat(byKey).containsOnlyKeys("a", "b", "c");
        byKey.values().forEach(seen -> assertThat(seen).isEqualTo(inOrder));
        assertThat(billed).hasSize(90);
    }

    @Test
    void aFunctionMeasuredFastRunsInlineOnTheCallersThread() throws Exception {
        FunctionSpec spec = spec("upper", Upper.class, 1_000, 4, Map.of(), 1);
        int firstInline = -1;
        for (int i = 0; i < 2_000 && firstInline < 0; i++) {
            int before = out.size();
            group.submit(invocation(spec, "k" + i, "w-" + i));
            if (out.size() > before) {
                firstInline = i;
                assertThat(group.inFlight()).isZero();
                assertThat(results().get(results().size() - 1).getData())
                        .isEqualTo(ByteBuffer.wrap(("W-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            runUntilIdle(Duration.ofSeconds(10));
        }
        assertThat(firstInline)
                .as("after enough fast runs in its lane, a result is out before the mailbox ran")
                .isGreaterThanOrEqualTo(InlinePolicy.PROMOTE_AFTER);
    }

    @Test
    void anAttemptPastItsDeadlineTimesOutAndTheNextOfItsKeyStarts() throws Exception {
        FunctionSpec spinner = spec("spin", Spinner.class, 150, 2, Map.of(), 1);
        long t0 = System.nanoTime();
        group.submit(invocation(spinner, "k", "first"));
        group.submit(invocation(spinner, "k", "second"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(results()).hasSize(2).allMatch(r -> r.getFailureKind() == FailureKind.TIMEOUT);
        assertThat(results().get(0).getError()).contains("timeout of 0.15s");
        assertThat(letters()).hasSize(2).allMatch(l -> l.getKind() == FailureKind.TIMEOUT);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void aFailingHandlerIsRetriedThenDeadLetteredWithEveryAttemptMetered() throws Exception {
        FunctionSpec thrower = spec("thrower", Thrower.class, 1_000, 1, Map.of(), 3);
        group.submit(invocation(thrower, "k", "x"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(results())
                .singleElement()
                .satisfies(r -> assertThat(r.getAttempts()).isEqualTo(3));
        assertThat(letters())
                .singleElement()
                .satisfies(l -> assertThat(l.getKind()).isEqualTo(FailureKind.HANDLER_ERROR));
        assertThat(billed).hasSize(3);
        assertThat(out.stream().filter(r -> r.topic.equals(Topics.LOGS))).hasSize(3);
    }

    @Test
    void codeThatCannotBeLoadedFailsEveryInvocationWithoutAnAttempt() throws Exception {
        FunctionSpec broken =
                FunctionSpec.newBuilder(spec("broken", Upper.class, 1_000, 1, Map.of(), 1))
                        .setCodeSha256("00")
                        .build();
        group.submit(invocation(broken, "k", "a"));
        group.submit(invocation(broken, "k", "b"));
        runUntilIdle(Duration.ofSeconds(10));

        assertThat(letters()).hasSize(2).allMatch(l -> l.getKind() == FailureKind.CODE_LOAD);
        assertThat(letters().get(0).getReason()).contains("deploy the function again");
        assertThat(results()).allMatch(r -> r.getAttempts() == 0);
        assertThat(billed).isEmpty();
    }

    /** Runs the mailbox until nothing is in flight. */
    private void runUntilIdle(Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (group.inFlight() > 0) {
            Runnable mail = mailbox.poll(50, TimeUnit.MILLISECONDS);
            if (mail != null) {
                mail.run();
            }
            assertThat(System.nanoTime()).as("all invocations end in time").isLessThan(end);
        }
    }

    private List<InvocationResult> results() {
        return out.stream()
                .filter(r -> r.topic.equals(Topics.RESULTS))
                .map(r -> RESULTS.decode(r.value))
                .toList();
    }

    private List<DeadLetter> letters() {
        return out.stream()
                .filter(r -> r.topic.equals(Topics.DLQ))
                .map(r -> LETTERS.decode(r.value))
                .toList();
    }

    private FunctionSpec spec(
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

    private static Invocation invocation(FunctionSpec spec, String key, String data) {
        Event event =
                Event.newBuilder()
                        .setId("e-" + data)
                        .setSource("test")
                        .setType("test")
                        .setSubject(key)
                        .setTime(Instant.EPOCH)
                        .setData(ByteBuffer.wrap(data.getBytes(StandardCharsets.UTF_8)))
                        .build();
        return new Invocation(key, spec, event, event.getId() + "/" + spec.getName(), key);
    }

    private static String text(ByteBuffer b) {
        return StandardCharsets.UTF_8.decode(b.duplicate()).toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
