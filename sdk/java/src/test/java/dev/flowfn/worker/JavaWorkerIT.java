package dev.flowfn.worker;

import static dev.flowfn.worker.FakeJob.invoke;
import static dev.flowfn.worker.FakeJob.load;
import static dev.flowfn.worker.FakeJob.ping;
import static dev.flowfn.worker.FakeJob.stop;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fns.BadHandlers;
import com.example.fns.Echo;
import com.example.fns.Exits;
import com.example.fns.Fails;
import com.example.fns.LateEmitter;
import com.example.fns.Probe;
import com.example.fns.ReturnsNull;
import com.example.fns.Slow;
import com.example.fns.Spin;
import com.example.fns.ThreadName;
import com.example.lib.Shout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker end to end: a real worker JVM, this test playing the job on a Unix socket. Handlers
 * come from jars built at test time, while the worker's class path holds the same test classes (and
 * AssertJ), standing for the job's big jar: the function must see only its jars.
 */
class JavaWorkerIT {

    @TempDir Path dir;
    private FakeJob job;

    @AfterEach
    void stopWorker() throws IOException {
        if (job != null) {
            job.close();
        }
    }

    /** A code directory with the fixtures' jar and the library jar beside it. */
    private Path code() {
        Path code = dir.resolve("code");
        TestJars.jar(
                code.resolve("fn.jar"),
                Echo.class,
                Fails.class,
                ReturnsNull.class,
                Slow.class,
                Exits.class,
                LateEmitter.class,
                Probe.class,
                BadHandlers.class,
                Spin.class,
                ThreadName.class);
        TestJars.jar(code.resolve("lib.jar"), Shout.class);
        return code;
    }

    private static Map<String, List<Frame>> byInvocation(List<Frame> frames) {
        Map<String, List<Frame>> out = new LinkedHashMap<>();
        for (Frame f : frames) {
            if (f.type() != MessageType.LOADED && f.type() != MessageType.PONG) {
                out.computeIfAbsent((String) f.header().get("id"), k -> new ArrayList<>()).add(f);
            }
        }
        return out;
    }

    private static String body(Frame f) {
        return new String(f.body(), StandardCharsets.UTF_8);
    }

    @Test
    void helloLoadAndABatchOfInvocationsWithTheirLogsProgressAndEmits() throws Exception {
        job = FakeJob.start(dir, Map.of("FLOWFN_WORKER_CONCURRENCY", "3"), List.of());
        Frame hello = job.next();
        assertThat(hello.type()).isEqualTo(MessageType.HELLO);
        assertThat(JsonWriter.write(hello.header()))
                .isEqualTo(
                        "{\"protocol\":2,\"runtime\":\"java\",\"sdk\":\""
                                + JavaWorker.version()
                                + "\",\"pid\":"
                                + job.process().pid()
                                + ",\"concurrency\":3,\"workerId\":\"test-worker-1\"}");
        assertThat(JavaWorker.version()).isEqualTo("0.1.0-SNAPSHOT");

        Path code = code();
        job.send(load(1, Echo.class.getName(), code, Map.of("GREETING", "hi")));
        Frame loaded = job.next();
        assertThat(loaded.type()).as("%s", loaded).isEqualTo(MessageType.LOADED);
        assertThat(loaded.header()).containsEntry("function", "fn").containsEntry("version", 1L);
        assertThat(loaded.header().get("loadUs")).isInstanceOf(Long.class);

        // five INVOKEs in one write, then a LOAD pipelined with the INVOKE that needs it
        List<Frame> batch = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            batch.add(invoke("i" + n, 1, ("x" + n).getBytes(StandardCharsets.UTF_8), 2));
        }
        batch.add(load(2, Probe.class.getName(), code, Map.of()));
        batch.add(invoke("p", 2, "com.example.lib.Shout"));
        job.send(batch.toArray(new Frame[0]));
        List<Frame> frames = job.untilResults(6);

        assertThat(frames).extracting(Frame::type).contains(MessageType.LOADED);
        Map<String, List<Frame>> per = byInvocation(frames);
        for (int n = 0; n < 5; n++) {
            List<Frame> fs = per.get("i" + n);
            assertThat(fs)
                    .extracting(Frame::type)
                    .containsExactly(
                            MessageType.LOG,
                            MessageType.LOG,
                            MessageType.PROGRESS,
                            MessageType.PROGRESS,
                            MessageType.EMIT,
                            MessageType.EMIT,
                            MessageType.RESULT);
            assertThat(fs.get(0).header())
                    .containsEntry("level", "INFO")
                    .containsEntry("message", "got x" + n);
            assertThat(fs.get(1).header())
                    .containsEntry("level", "WARN")
                    .containsEntry("message", "careful");
            assertThat(fs.get(2).header())
                    .containsEntry("fraction", 0.5)
                    .containsEntry("message", "half way");
            assertThat(fs.get(3).header())
                    .containsEntry("fraction", null)
                    .containsEntry("message", "almost");
            assertThat(JsonWriter.write(fs.get(4).header()))
                    .isEqualTo(
                            "{\"id\":\"i"
                                    + n
                                    + "\",\"type\":\"echo.done\",\"subject\":\"s-i"
                                    + n
                                    + "\",\"contentType\":\"application/json\",\"topic\":null,\"key\":null}");
            assertThat(fs.get(5).header())
                    .containsEntry("topic", "readings")
                    .containsEntry("key", "k-x" + n);
            assertThat(body(fs.get(5))).isEqualTo("x" + n);
            Frame result = fs.get(6);
            assertThat(result.header())
                    .containsEntry("ok", true)
                    .containsEntry("status", 201L)
                    .containsEntry("contentType", "text/plain; charset=utf-8")
                    .containsEntry("headers", Map.of("x-echo", "yes"));
            assertThat(body(result))
                    .contains(
                            "function=fn\nversion=1\ninvocation=i"
                                    + n
                                    + "\nattempt=2\nmemory=256\n",
                            "greeting=hi",
                            "event=e-i"
                                    + n
                                    + " test://job flowfn.invoke s-i"
                                    + n
                                    + " 1767225599000 - {k=i"
                                    + n
                                    + "}",
                            "data=X" + n + "!");
        }
        Frame probe = per.get("p").get(0);
        assertThat(body(probe))
                .as("the worker's class path has Shout, the function's code has it in lib.jar")
                .contains(
                        "com.example.lib.Shout=visible",
                        "loader=flowfn-fn-v2",
                        "contextLoader=own");
    }

    @Test
    void functionCodeSeesTheJdkAndTheApiButNothingOfTheWorkersClassPath() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        Path code = dir.resolve("probe");
        TestJars.jar(code.resolve("probe.jar"), Probe.class); // no lib.jar
        job.send(
                load(1, Probe.class.getName(), code, Map.of()),
                invoke(
                        "p",
                        1,
                        String.join(
                                "\n",
                                "java.sql.Connection",
                                "dev.flowfn.api.HttpRequest",
                                "dev.flowfn.worker.JavaWorker",
                                "com.example.lib.Shout",
                                "org.assertj.core.api.Assertions")));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        assertThat(body(job.next()))
                .contains(
                        "java.sql.Connection=visible",
                        "dev.flowfn.api.HttpRequest=visible",
                        "dev.flowfn.worker.JavaWorker=hidden",
                        "com.example.lib.Shout=hidden",
                        "org.assertj.core.api.Assertions=hidden",
                        "api=shared");
    }

    @Test
    void failuresAreResultsOfTheirKindAndBadCodeFailsItsLoadNamingTheFix() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        Path code = code();
        job.send(
                load(3, Fails.class.getName(), code, Map.of()),
                load(4, ReturnsNull.class.getName(), code, Map.of()),
                load(5, "com.example.fns.Nope", code, Map.of()),
                load(6, BadHandlers.NotAHandler.class.getName(), code, Map.of()),
                load(7, BadHandlers.NeedsArgs.class.getName(), code, Map.of()),
                load(8, BadHandlers.ThrowsInConstructor.class.getName(), code, Map.of()));
        Map<Long, Frame> answers = new LinkedHashMap<>();
        for (int i = 0; i < 6; i++) {
            Frame f = job.next();
            answers.put((Long) f.header().get("version"), f);
        }
        assertThat(answers.get(3L).type()).isEqualTo(MessageType.LOADED);
        assertThat(answers.get(4L).type()).isEqualTo(MessageType.LOADED);
        for (long v = 5; v <= 8; v++) {
            assertThat(answers.get(v).type()).isEqualTo(MessageType.LOAD_FAILED);
            assertThat(answers.get(v).header()).containsEntry("kind", "CODE_LOAD");
        }
        assertThat(answers.get(5L).header().get("message"))
                .asString()
                .startsWith(
                        "handler class com.example.fns.Nope is not in the jar; check --handler");
        assertThat(answers.get(6L).header().get("message"))
                .asString()
                .contains("does not implement dev.flowfn.api.Handler; implement it");
        assertThat(answers.get(7L).header().get("message"))
                .asString()
                .contains("has no public no-arg constructor; add one");
        assertThat(answers.get(8L).header().get("message"))
                .asString()
                .contains(
                        "threw java.lang.IllegalArgumentException: THUMB_SIZE is not set; fix the constructor");

        job.send(
                invoke("a", 3, "xyz"), invoke("b", 4, ""), invoke("c", 5, ""), invoke("d", 99, ""));
        Map<String, List<Frame>> per = byInvocation(job.untilResults(4));
        Frame log = per.get("a").get(0);
        Frame error = per.get("a").get(1);
        assertThat(log.header()).containsEntry("message", "about to fail");
        assertThat(error.header())
                .containsEntry("ok", false)
                .containsEntry("kind", "HANDLER_ERROR")
                .containsEntry(
                        "message",
                        "java.lang.IllegalStateException: bad input xyz; caused by"
                                + " java.io.IOException: disk gone");
        assertThat((String) error.header().get("stack"))
                .startsWith(
                        "java.lang.IllegalStateException: bad input xyz\n\tat flowfn-fn-v3//com.example.fns.Fails.handle(Fails.java:")
                .contains("Caused by: java.io.IOException: disk gone")
                .doesNotContain("dev.flowfn.worker", "ThreadPoolExecutor");
        assertThat(error.body()).isEmpty();
        assertThat(per.get("b").get(0).header())
                .containsEntry("kind", "BAD_RESULT")
                .containsEntry("stack", null);
        assertThat((String) per.get("c").get(0).header().get("message"))
                .isEqualTo(
                        "function fn version 5 is not loaded in this worker; it failed to load:"
                                + " handler class com.example.fns.Nope is not in the jar; check"
                                + " --handler (the fully qualified name of a class that implements"
                                + " dev.flowfn.api.Handler, e.g. com.example.Thumbnail)");
        assertThat(per.get("c").get(0).header()).containsEntry("kind", "UNKNOWN_FUNCTION");
        assertThat(per.get("d").get(0).header())
                .containsEntry("kind", "UNKNOWN_FUNCTION")
                .containsEntry(
                        "message",
                        "function fn version 99 is not loaded in this worker; the job sent no LOAD"
                                + " for it (it sends LOAD before INVOKE)");
        assertThat(job.output()).contains("[fn@8 load]", "THUMB_SIZE is not set");
    }

    @Test
    void answersPingWhileEveryInvocationThreadIsBusy() throws Exception {
        job = FakeJob.start(dir, Map.of("FLOWFN_WORKER_CONCURRENCY", "2"), List.of());
        job.next();
        job.send(
                load(1, Slow.class.getName(), code(), Map.of()),
                invoke("s1", 1, "3000"),
                invoke("s2", 1, "3000"));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        assertThat(job.next().header()).containsEntry("message", "started");
        assertThat(job.next().header()).containsEntry("message", "started");
        long sent = System.nanoTime();
        job.send(ping(42));
        Frame pong = job.next();
        assertThat(pong.type()).isEqualTo(MessageType.PONG);
        assertThat(pong.header()).isEqualTo(Map.of("nonce", 42L));
        assertThat((System.nanoTime() - sent) / 1_000_000).as("ms to PONG").isLessThan(1000);
    }

    @Test
    void neverRunsMoreThanConcurrencyAtOnceAndQueuesTheRest() throws Exception {
        job = FakeJob.start(dir, Map.of("FLOWFN_WORKER_CONCURRENCY", "3"), List.of());
        job.next();
        job.send(load(1, Slow.class.getName(), code(), Map.of()));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        int n = 7;
        Frame[] batch = new Frame[n];
        for (int i = 0; i < n; i++) {
            batch[i] = invoke("s" + i, 1, "300");
        }
        job.send(batch);
        int running = 0;
        int peakSeen = 0;
        int peakReported = 0;
        for (int results = 0; results < n; ) {
            Frame f = job.next();
            if (f.type() == MessageType.LOG) {
                peakSeen = Math.max(peakSeen, ++running);
            } else if (f.type() == MessageType.RESULT) {
                running--;
                results++;
                assertThat(f.header()).containsEntry("ok", true);
                peakReported = Math.max(peakReported, Integer.parseInt(body(f)));
            }
        }
        assertThat(peakReported).as("as the handlers saw it").isEqualTo(3);
        assertThat(peakSeen).as("as the frames show it").isLessThanOrEqualTo(3);
    }

    /** Four threads; a fast limit of 20 ms, so a busy build machine does not make a no-op slow. */
    private FakeJob startWithFastLimit20Ms() throws Exception {
        return FakeJob.start(
                dir,
                Map.of("FLOWFN_WORKER_CONCURRENCY", "4", "FLOWFN_WORKER_FAST_LIMIT_US", "20000"),
                List.of());
    }

    @Test
    void aFastVersionRunsOnTheReadingThreadUntilOneRunIsSlow() throws Exception {
        job = startWithFastLimit20Ms();
        job.next();
        job.send(load(1, ThreadName.class.getName(), code(), Map.of()));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        // pool runs count once they are fast (the first ones load classes): rounds until inline
        String thread = null;
        for (int round = 0; round < 50 && !"main".equals(thread); round++) {
            Frame[] batch = new Frame[Session.FAST_RUNS];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = invoke("r" + round + "-" + i, 1, "");
            }
            job.send(batch);
            for (Frame f : job.untilResults(batch.length)) {
                assertThat(f.header()).containsEntry("ok", true);
                thread = body(f);
            }
        }
        assertThat(thread).as("the thread of the last fast run").isEqualTo("main");

        job.send(invoke("slow", 1, "100"));
        assertThat(body(job.untilResults(1).get(0))).as("a slow run inline").isEqualTo("main");
        job.send(invoke("after", 1, ""));
        assertThat(body(job.untilResults(1).get(0)))
                .as("the run after a slow one")
                .startsWith("flowfn-invoke-");
    }

    @Test
    void aFastVersionStaysOnTheReadingThreadWhileAnotherProcessTakesTurnsOnItsCore()
            throws Exception {
        Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")));
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")));
        // the default fast limit; a young generation that no GC empties while the test runs: a GC
        // pause stops the reading thread, which then waits without being in a run queue, and
        // counts as the run's own time (OwnTime errs towards slow)
        job = FakeJob.start(dir, Map.of(), List.of("-Xms1g", "-Xmn512m"));
        long pid = ((Number) job.next().header().get("pid")).longValue();
        job.send(load(1, Spin.class.getName(), code(), Map.of()));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        runUntilInline("r");

        String cpu = Integer.toString(Runtime.getRuntime().availableProcessors() - 1);
        Process rival =
                new ProcessBuilder("taskset", "-c", cpu, "sh", "-c", "while :; do :; done")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        Map<String, Frame> results = new LinkedHashMap<>();
        try {
            // the reading thread (the JVM names its own threads; "java" is main and the launcher's)
            // shares one core with the rival; the JVM's own threads do not, so no safepoint waits
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                for (Path task : tasks.toList()) {
                    if (Files.readString(task.resolve("comm")).strip().equals("java")) {
                        String tid = task.getFileName().toString();
                        Process pin = new ProcessBuilder("taskset", "-pc", cpu, tid).start();
                        assertThat(pin.waitFor(10, TimeUnit.SECONDS) && pin.exitValue() == 0)
                                .isTrue();
                    }
                }
            }
            for (int round = 0;
                    round < 4;
                    round++) { // its first runs beside the rival: not counted
                Frame[] batch = new Frame[250];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = invoke("w" + round + "-" + i, 1, "50");
                }
                job.send(batch);
                job.untilResults(batch.length);
            }
            runUntilInline("again");
            for (int round = 0; round < 36; round++) { // long reads: the worker keeps its core busy
                Frame[] batch = new Frame[250];
                for (int i = 0; i < batch.length; i++) {
                    batch[i] = invoke(String.format("c%05d", round * batch.length + i), 1, "50");
                }
                job.send(batch);
                for (Frame f : job.untilResults(batch.length)) {
                    if (f.type() == MessageType.RESULT) {
                        results.put((String) f.header().get("id"), f);
                    }
                }
            }
        } finally {
            rival.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        int cutOff = 0; // inline runs whose wall time reached the limit
        int demoted = 0; // times the run after an inline one ran in the pool
        boolean inline = true;
        for (String id : new java.util.TreeSet<>(results.keySet())) {
            Frame f = results.get(id);
            boolean now = "main".equals(body(f));
            long us = ((Number) f.header().get("durationUs")).longValue();
            if (now && us >= WorkerOptions.DEFAULT_FAST_LIMIT_US) {
                cutOff++;
            }
            if (inline && !now) {
                demoted++;
            }
            inline = now;
        }
        assertThat(results).hasSize(9_000);
        // judged by wall time, each inline run cut off would send it to the pool; a few may still,
        // where the core was taken without the thread waiting in a run queue (a safepoint:
        // OwnTime errs towards slow)
        assertThat(demoted)
                .as("times it left the reading thread, with %d inline runs cut off", cutOff)
                .isLessThanOrEqualTo(Math.max(2, cutOff / 5));
        assertThat(cutOff)
                .as("inline runs whose wall time passed the limit (too few: this proves nothing)")
                .isGreaterThanOrEqualTo(5);
    }

    /** Sends batches of fast runs of version 1 (Spin) until one runs on the reading thread. */
    private void runUntilInline(String prefix) throws Exception {
        String thread = null;
        for (int round = 0; round < 50 && !"main".equals(thread); round++) {
            Frame[] batch = new Frame[Session.FAST_RUNS];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = invoke(prefix + round + "-" + i, 1, "20");
            }
            job.send(batch);
            for (Frame f : job.untilResults(batch.length)) {
                thread = f.type() == MessageType.RESULT ? body(f) : thread;
            }
        }
        assertThat(thread).as("runs inline").isEqualTo("main");
    }

    @Test
    void aFastVersionStaysOnTheReadingThreadWhileASlowOneFillsThePool() throws Exception {
        job = startWithFastLimit20Ms();
        job.next();
        job.send(
                load(1, ThreadName.class.getName(), code(), Map.of()),
                load(2, ThreadName.class.getName(), code(), Map.of()));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        String thread = null;
        for (int round = 0; round < 500 && !"main".equals(thread); round++) {
            job.send(invoke("w" + round, 1, ""));
            thread = body(job.untilResults(1).get(0));
        }
        assertThat(thread).as("version 1 runs inline").isEqualTo("main");

        Frame[] slow = new Frame[4];
        for (int i = 0; i < slow.length; i++) {
            slow[i] = invoke("s" + i, 2, "2000");
        }
        job.send(slow); // version 2 is new, so it runs in the pool, and fills it
        Frame[] fast = new Frame[20];
        for (int i = 0; i < fast.length; i++) {
            fast[i] = invoke("f" + i, 1, "");
        }
        job.send(fast);
        List<Frame> results =
                job.untilResults(fast.length).stream()
                        .filter(f -> f.type() == MessageType.RESULT)
                        .toList();
        assertThat(results)
                .as("the fast runs came back before the slow ones, on the reading thread")
                .allSatisfy(
                        f -> {
                            assertThat((String) f.header().get("id")).startsWith("f");
                            assertThat(body(f)).isEqualTo("main");
                        });
        assertThat(
                        job.untilResults(slow.length).stream()
                                .filter(f -> f.type() == MessageType.RESULT))
                .hasSize(slow.length);
    }

    @Test
    void nothingOfAnInvocationFollowsItsResult() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        job.send(load(1, LateEmitter.class.getName(), code(), Map.of()), invoke("late", 1, ""));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        assertThat(job.next().header()).containsEntry("id", "late").containsEntry("ok", true);
        long deadline = System.currentTimeMillis() + FakeJob.TIMEOUT.toMillis();
        while (!job.output().contains("late emit refused")
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(job.output())
                .contains(
                        "WARN [fn@1 late, after its result] late emit refused: invocation late has"
                                + " finished; emit before the handler returns");
        job.send(ping(1));
        assertThat(job.next().type())
                .as("the next frame after the RESULT")
                .isEqualTo(MessageType.PONG);
    }

    @Test
    void systemExitInAHandlerEndsTheWorkerWithItsStatus() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        job.send(load(1, Exits.class.getName(), code(), Map.of()), invoke("x", 1, "7"));
        assertThat(job.exitStatus()).isEqualTo(7);
    }

    @Test
    void endOfFileEndsTheWorkerWithStatus0EvenWhileAHandlerRuns() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        job.send(load(1, Slow.class.getName(), code(), Map.of()), invoke("s", 1, "60000"));
        assertThat(job.next().type()).isEqualTo(MessageType.LOADED);
        assertThat(job.next().header()).containsEntry("message", "started");
        long closed = System.nanoTime();
        job.closeConnection();
        assertThat(job.exitStatus()).isEqualTo(0);
        assertThat((System.nanoTime() - closed) / 1_000_000).as("ms to exit").isLessThan(3000);
    }

    @Test
    void stopEndsTheWorkerWithStatus0OverTcp() throws Exception {
        job = FakeJob.start(dir, Map.of(), List.of(), FakeJob.classPath(), true);
        assertThat(job.next().type()).isEqualTo(MessageType.HELLO);
        job.send(stop());
        assertThat(job.exitStatus()).isEqualTo(0);
    }

    @Test
    void aProtocolErrorEndsTheWorkerWithStatus2SayingWhatItWas() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        job.sendRaw(new byte[] {0, 0, 0, 7, 0x55, 0, 0, 0, 2, '{', '}'});
        assertThat(job.exitStatus()).isEqualTo(2);
        assertThat(job.output())
                .contains("flowfn-worker: protocol error: unknown message type 0x55");
    }

    @Test
    void anInvokeWithoutAnEventIsAProtocolError() throws Exception {
        job = FakeJob.start(dir);
        job.next();
        job.send(
                new Frame(
                        MessageType.INVOKE,
                        FrameWriter.header(
                                "id", "x", "function", "fn", "version", 1, "deadline", 1)));
        assertThat(job.exitStatus()).isEqualTo(2);
        assertThat(job.output())
                .contains(
                        "protocol error: INVOKE header: 'event' must be an object, not missing or null");
    }

    @Test
    void aBadSettingEndsTheWorkerWithStatus2NamingIt() throws Exception {
        ProcessBuilder builder =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                FakeJob.minimalClassPath(),
                                JavaWorker.class.getName())
                        .redirectErrorStream(true);
        builder.environment().put("FLOWFN_WORKER_SOCKET", dir.resolve("none.sock").toString());
        builder.environment().put("FLOWFN_WORKER_CONCURRENCY", "lots");
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).isEqualTo(2);
        assertThat(output)
                .contains(
                        "FLOWFN_WORKER_CONCURRENCY 'lots' must be a positive integer (8 when unset)");
    }
}
