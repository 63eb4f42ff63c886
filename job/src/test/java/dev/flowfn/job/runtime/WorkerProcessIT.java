package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs the real Node.js and Python workers of {@code sdk/} over a Unix socket: load, a batch within
 * the worker's concurrency, handler and load failures, a kill mid-invocation. Prints (does not
 * assert) the cold start and the round trip of a no-op invocation.
 */
class WorkerProcessIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path HOME = TestSdkHome.find();

    @TempDir Path code;

    @ParameterizedTest
    @EnumSource(
            value = WorkerRuntime.class,
            names = {"NODEJS", "PYTHON"})
    void runsABatchWithinTheWorkersConcurrency(WorkerRuntime runtime) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (WorkerConnection worker = open(runtime, 4, listener)) {
            assertThat(worker.hello().runtime()).isEqualTo(runtime.id());
            assertThat(worker.hello().concurrency()).isEqualTo(4);
            assertThat(load(worker, runtime, "echo").loaded()).isTrue();

            List<Invoke> batch = new ArrayList<>();
            for (int n = 0; n < 50; n++) {
                batch.add(invoke("inv-" + n, "echo", "{\"n\":" + n + ",\"sleepMs\":5}"));
            }
            worker.invoke(batch);
            assertThat(worker.outstanding()).isLessThanOrEqualTo(4 * runtime.fastDepth());
            listener.awaitCompletions(50, WAIT);

            for (int i = 0; i < 50; i++) {
                int n = i;
                Completion c = listener.completions.get("inv-" + n);
                assertThat(c.outcome()).as("inv-%d", n).isInstanceOf(Outcome.Success.class);
                JsonNode data = JSON.readTree(((Outcome.Success) c.outcome()).data());
                assertThat(data.get("doubled").intValue()).isEqualTo(2 * n);
                assertThat(c.logs())
                        .extracting(l -> l.level() + " " + l.message())
                        .contains("INFO echo " + n);
                assertThat(c.progress())
                        .singleElement()
                        .satisfies(p -> assertThat(p.fraction()).isEqualTo(0.5));
                assertThat(c.emitted())
                        .singleElement()
                        .satisfies(
                                e -> {
                                    assertThat(e.eventType()).isEqualTo("echo.done");
                                    assertThat(e.subject()).isEqualTo("n/" + n);
                                    assertThat(JSON.readTree(e.data()).get("n").intValue())
                                            .isEqualTo(n);
                                });
            }
            assertThat(listener.duplicates()).isZero();
            assertThat(listener.threads).singleElement().asString().endsWith("-reader");
            assertThat(worker.outstanding() + worker.waiting()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkerRuntime.class,
            names = {"NODEJS", "PYTHON"})
    void failsAThrowingHandlerAndAMissingExport(WorkerRuntime runtime) throws Exception {
        RecordingListener listener = new RecordingListener();
        WorkerConnection worker = open(runtime, 2, listener);
        assertThat(load(worker, runtime, "boom").loaded()).isTrue();
        worker.invoke(List.of(invoke("b-1", "boom", "{}")));
        listener.awaitCompletions(1, WAIT);
        assertThat(listener.completions.get("b-1").outcome())
                .isInstanceOfSatisfying(
                        Outcome.Failure.class,
                        f -> {
                            assertThat(f.kind()).isEqualTo(WorkerFailureKind.HANDLER_ERROR);
                            assertThat(f.message()).contains("boom: no luck");
                        });

        LoadOutcome missing = load(worker, runtime, "nope");
        assertThat(missing.loaded()).isFalse();
        assertThat(missing.failure()).isEqualTo(WorkerFailureKind.CODE_LOAD);
        assertThat(missing.message()).contains("nope");
        System.out.printf("%s: LOAD_FAILED says: %s%n", runtime.id(), missing.message());

        WorkerExit exit = worker.stop("test done").get(10, TimeUnit.SECONDS);
        assertThat(exit.exitCode()).isZero();
        assertThat(exit.requested()).isTrue();
        assertThat(listener.exit).isEqualTo(exit);
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkerRuntime.class,
            names = {"NODEJS", "PYTHON"})
    void killFailsTheOutstandingAndWaitingInvocations(WorkerRuntime runtime) throws Exception {
        RecordingListener listener = new RecordingListener();
        // concurrency 1: the connection's window is the runtime's fast depth
        WorkerConnection worker = open(runtime, 1, listener);
        assertThat(load(worker, runtime, "slow").loaded()).isTrue();
        int sent = runtime.fastDepth();
        worker.invoke(
                IntStream.range(0, sent + 2)
                        .mapToObj(i -> invoke("s-" + i, "slow", "{}"))
                        .toList());
        assertThat(worker.outstanding()).isEqualTo(sent);
        assertThat(worker.waiting()).isEqualTo(2);
        // the worker answers PING while the slow handlers run
        assertThat(worker.ping().get(10, TimeUnit.SECONDS)).isPositive();

        long killed = System.nanoTime();
        worker.kill("deadline of s-0 passed");
        WorkerExit exit = listener.awaitExit(WAIT);
        System.out.printf(
                "%s: kill to exit %d ms%n",
                runtime.id(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed));

        assertThat(exit.exitCode()).isEqualTo(137);
        assertThat(exit.requested()).isTrue();
        assertThat(listener.completions).hasSize(sent + 2);
        listener.completions
                .values()
                .forEach(
                        c ->
                                assertThat(c.outcome())
                                        .isInstanceOfSatisfying(
                                                Outcome.Failure.class,
                                                f -> {
                                                    assertThat(f.kind())
                                                            .isEqualTo(
                                                                    WorkerFailureKind
                                                                            .WORKER_EXITED);
                                                    assertThat(f.message())
                                                            .contains(
                                                                    "code 137",
                                                                    "deadline of s-0 passed");
                                                }));
        assertThat(
                        ((Outcome.Failure) listener.completions.get("s-" + (sent + 1)).outcome())
                                .message())
                .contains("before it was sent");
        assertThatThrownBy(() -> worker.invoke(List.of(invoke("late", "slow", "{}"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("start a new worker");
        // exited() completes after onWorkerExit has returned
        assertThat(worker.exited().get(10, TimeUnit.SECONDS)).isEqualTo(exit);
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkerRuntime.class,
            names = {"NODEJS", "PYTHON"})
    void aCrashingWorkerFailsWhatItHeldWithItsExitCode(WorkerRuntime runtime) throws Exception {
        RecordingListener listener = new RecordingListener();
        WorkerConnection worker = open(runtime, 2, listener);
        assertThat(load(worker, runtime, "crash").loaded()).isTrue();
        worker.invoke(List.of(invoke("c-1", "crash", "{}"), invoke("c-2", "crash", "{}")));

        WorkerExit exit = listener.awaitExit(WAIT);

        assertThat(exit.exitCode()).isEqualTo(4);
        assertThat(exit.requested()).isFalse();
        assertThat(exit.stderrTail()).contains("crashing on purpose");
        assertThat(listener.completions).hasSize(2);
        assertThat(listener.completions.get("c-1").outcome())
                .isInstanceOfSatisfying(
                        Outcome.Failure.class,
                        f -> {
                            assertThat(f.kind()).isEqualTo(WorkerFailureKind.WORKER_EXITED);
                            assertThat(f.message()).contains("exited with code 4");
                        });
    }

    @ParameterizedTest
    @EnumSource(
            value = WorkerRuntime.class,
            names = {"NODEJS", "PYTHON"})
    void measuresColdStartAndRoundTrip(WorkerRuntime runtime) throws Exception {
        RecordingListener listener = new RecordingListener();
        try (WorkerConnection worker = open(runtime, 1, listener)) {
            LoadOutcome loaded = load(worker, runtime, "noop");
            assertThat(loaded.loaded()).isTrue();
            Duration ping = worker.ping().get(10, TimeUnit.SECONDS);

            int rounds = 300;
            List<Long> micros = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Completion> done = new CompletableFuture<>();
                listener.onEach = done::complete;
                long start = System.nanoTime();
                worker.invoke(List.of(invoke("n-" + i, "noop", "")));
                assertThat(done.get(10, TimeUnit.SECONDS).succeeded()).isTrue();
                micros.add((System.nanoTime() - start) / 1000);
            }
            List<Long> warm = new ArrayList<>(micros.subList(50, rounds));
            Collections.sort(warm);
            System.out.printf(
                    "%s worker: cold start (process start to HELLO) %d ms, load %d us, ping %d us;"
                            + " no-op invocation round trip over %d warm runs: median %d us, p90 %d"
                            + " us, max %d us (first %d us)%n",
                    runtime.id(),
                    worker.coldStart().toMillis(),
                    loaded.loadUs(),
                    ping.toNanos() / 1000,
                    warm.size(),
                    warm.get(warm.size() / 2),
                    warm.get(warm.size() * 9 / 10),
                    warm.get(warm.size() - 1),
                    micros.get(0));
        }
    }

    @Test
    void aWorkerThatCannotStartFailsWithWhatItSaid() {
        WorkerConfig missing =
                WorkerConfig.builder(WorkerRuntime.NODEJS, HOME)
                        .setExecutable("flowfn-no-such-node")
                        .build();
        assertThatThrownBy(() -> WorkerConnection.open(missing, new RecordingListener()))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("cannot run the nodejs worker 'flowfn-no-such-node")
                .hasMessageContaining("is installed and on the PATH");

        // "sh" runs the runtime's arguments as a script, which fails: the worker exits at once
        WorkerConfig exits =
                WorkerConfig.builder(WorkerRuntime.PYTHON, HOME).setExecutable("sh").build();
        assertThatThrownBy(() -> WorkerConnection.open(exits, new RecordingListener()))
                .isInstanceOf(WorkerStartException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("before it connected")
                .hasMessageContaining("its stderr ends with:");
    }

    private WorkerConnection open(WorkerRuntime runtime, int concurrency, WorkerListener listener)
            throws IOException {
        assumeInstalled(runtime.defaultExecutable());
        writeHandlers(runtime);
        return WorkerConnection.open(
                WorkerConfig.builder(runtime, HOME)
                        .setWorkerId("it-" + runtime.id())
                        .setConcurrency(concurrency)
                        .build(),
                listener);
    }

    private LoadOutcome load(WorkerConnection worker, WorkerRuntime runtime, String export)
            throws Exception {
        String module = runtime == WorkerRuntime.NODEJS ? "index" : "handler";
        Map<String, String> env =
                Map.of("SDK_DIR", HOME.resolve("sdk/nodejs").toString(), "GREETING", "hi");
        return worker.load(export, 1, module + "." + export, code, 128, env)
                .get(30, TimeUnit.SECONDS);
    }

    private static Invoke invoke(String id, String function, String json) {
        long now = System.currentTimeMillis();
        InvokeEvent event =
                new InvokeEvent(
                        "e-" + id,
                        "test",
                        "test.event",
                        id,
                        now,
                        "application/json",
                        true,
                        Map.of());
        return new Invoke(
                id,
                function,
                1,
                1,
                now + 60_000,
                128,
                event,
                json.getBytes(StandardCharsets.UTF_8));
    }

    private void writeHandlers(WorkerRuntime runtime) throws IOException {
        if (runtime == WorkerRuntime.NODEJS) {
            Files.writeString(
                    code.resolve("index.js"),
                    String.join(
                            "\n",
                            "const { OutgoingEvent } = require(process.env.SDK_DIR);",
                            "exports.echo = async (event, context) => {",
                            "  const { n, sleepMs } = event.json();",
                            "  context.logger.info(`echo ${n}`);",
                            "  context.progress(0.5, `half of ${n}`);",
                            "  context.emit(OutgoingEvent.json('echo.done', `n/${n}`, { n }));",
                            "  await new Promise((resolve) => setTimeout(resolve, sleepMs || 0));",
                            "  return { n, doubled: n * 2 };",
                            "};",
                            "exports.boom = () => { throw new Error('boom: no luck'); };",
                            "exports.noop = () => '';",
                            "exports.slow = () => new Promise(() => {});",
                            "exports.crash = () => {",
                            "  process.stderr.write('crashing on purpose\\n');",
                            "  process.exit(4);",
                            "};",
                            ""));
        } else {
            Files.writeString(
                    code.resolve("handler.py"),
                    String.join(
                            "\n",
                            "import time",
                            "from flowfn import OutgoingEvent",
                            "def echo(event, context):",
                            "    n = event.json()['n']",
                            "    context.logger.info(f'echo {n}')",
                            "    context.progress(0.5, f'half of {n}')",
                            "    context.emit(OutgoingEvent.json('echo.done', f'n/{n}', {'n': n}))",
                            "    time.sleep(event.json().get('sleepMs', 0) / 1000)",
                            "    return {'n': n, 'doubled': n * 2}",
                            "def boom(event, context):",
                            "    raise ValueError('boom: no luck')",
                            "def noop(event, context):",
                            "    return ''",
                            "def slow(event, context):",
                            "    time.sleep(3600)",
                            "def crash(event, context):",
                            "    import os, sys",
                            "    sys.__stderr__.write('crashing on purpose\\n')",
                            "    sys.__stderr__.flush()",
                            "    os._exit(4)",
                            ""));
        }
    }

    private static void assumeInstalled(String program) {
        boolean found = false;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            found |= !dir.isEmpty() && Files.isExecutable(Path.of(dir, program));
        }
        if (!found) {
            System.out.println("skipped: '" + program + "' is not on the PATH");
        }
        assumeTrue(found, program + " is not on the PATH");
    }
}
