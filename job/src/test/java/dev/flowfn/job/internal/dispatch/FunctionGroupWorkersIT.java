package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flowfn.examples.hello.Upper;
import dev.flowfn.job.runtime.RemoteFunctions;
import dev.flowfn.job.runtime.TestSdkHome;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.job.runtime.protocol.FrameCodec;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Message;
import dev.flowfn.job.runtime.protocol.Result;
import dev.flowfn.job.testfns.Exiter;
import dev.flowfn.job.testfns.Hog;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.LogRecord;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import dev.flowfn.testing.TestJars;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The function group running Node.js and Python functions in real worker processes of the pool:
 * results, logs and emitted events come back; a process exit, an endless loop and an out-of-memory
 * fail only their own invocations, each with its own kind, while a healthy function beside them
 * keeps answering.
 */
class FunctionGroupWorkersIT extends FunctionGroupHarness {

    private static final Path HOME = TestSdkHome.find();

    @Override
    WorkerPool.Settings workers() {
        return new WorkerPool.Settings(
                HOME.toString(), 8, 4096, Duration.ofMinutes(1), Duration.ofSeconds(20));
    }

    @Test
    void aNodeFunctionsResultLogsAndEmittedEventsComeBack() throws Exception {
        FunctionSpec spec =
                spec(
                        "node-echo",
                        "nodejs",
                        "index.echo",
                        Map.of(
                                "index.js",
                                """
                                const { OutgoingEvent } = require('@flowfn/sdk');
                                exports.echo = async (event, context) => {
                                  context.logger.info('got ' + event.text());
                                  context.emit(OutgoingEvent.json('echo.done', event.subject, {}));
                                  return event.text().toUpperCase();
                                };
                                """),
                        5_000,
                        1);
        for (int i = 0; i < 5; i++) {
            group.submit(invocation(spec, "k" + (i % 2), "hello " + i));
        }
        runUntilIdle(Duration.ofSeconds(60));

        assertThat(results()).hasSize(5).allMatch(InvocationResult::getSuccess);
        assertThat(results().stream().map(r -> text(r.getData())))
                .containsExactlyInAnyOrder("HELLO 0", "HELLO 1", "HELLO 2", "HELLO 3", "HELLO 4");
        assertThat(logLines()).contains("got hello 3");
        assertThat(out.stream().filter(r -> r.topic.equals(Topics.EVENTS))).hasSize(5);
        assertThat(billed).hasSize(5);
    }

    @Test
    void aPythonFunctionsResultComesBack() throws Exception {
        FunctionSpec spec =
                spec(
                        "py-echo",
                        "python",
                        "handler.main",
                        Map.of(
                                "handler.py",
                                """
                                def main(event, context):
                                    context.logger.info('py got ' + event.text())
                                    return event.text()[::-1]
                                """),
                        5_000,
                        1);
        group.submit(invocation(spec, "k", "abc"));
        runUntilIdle(Duration.ofSeconds(60));

        assertThat(results()).singleElement().matches(InvocationResult::getSuccess);
        assertThat(text(results().get(0).getData())).isEqualTo("cba");
        assertThat(logLines()).contains("py got abc");
    }

    @Test
    void aHandlerThatExitsItsProcessFailsOnlyItsOwnInvocations() throws Exception {
        FunctionSpec exits =
                spec(
                        "node-exits",
                        "nodejs",
                        "index.handler",
                        Map.of("index.js", "exports.handler = () => { process.exit(1); };"),
                        5_000,
                        2);
        FunctionSpec healthy = healthy();
        group.submit(invocation(exits, "k", "x"));
        for (int i = 0; i < 3; i++) {
            group.submit(invocation(healthy, "h" + i, "ok " + i));
        }
        runUntilIdle(Duration.ofSeconds(60));

        InvocationResult exited = resultOf("node-exits");
        assertThat(exited.getSuccess()).isFalse();
        assertThat(exited.getFailureKind()).isEqualTo(FailureKind.WORKER_EXITED);
        assertThat(exited.getAttempts()).isEqualTo(2);
        assertThat(exited.getError()).contains("exited with code 1").contains("process.exit");
        assertThat(results().stream().filter(r -> r.getFunction().equals("healthy")))
                .hasSize(3)
                .allMatch(InvocationResult::getSuccess);
    }

    @Test
    void anEndlessLoopTimesOutAndItsWorkerIsKilled() throws Exception {
        FunctionSpec loops =
                spec(
                        "py-loops",
                        "python",
                        "handler.main",
                        Map.of(
                                "handler.py",
                                """
                                import os
                                def main(event, context):
                                    context.logger.info('pid ' + str(os.getpid()))
                                    while True:
                                        pass
                                """),
                        1_000,
                        1);
        group.submit(invocation(loops, "k", "x"));
        group.submit(invocation(healthy(), "h", "still here"));
        runUntilIdle(Duration.ofSeconds(60));

        InvocationResult timedOut = resultOf("py-loops");
        assertThat(timedOut.getFailureKind()).isEqualTo(FailureKind.TIMEOUT);
        assertThat(resultOf("healthy").getSuccess()).isTrue();
        // the worker that looped is killed, so its CPU comes back; the healthy one stays
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (runtime.workers.workerCount() > 1 && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(runtime.workers.workerCount()).isEqualTo(1);
    }

    @Test
    void aFunctionOverItsMemoryFailsOutOfMemory() throws Exception {
        FunctionSpec hungry =
                FunctionSpec.newBuilder(
                                spec(
                                        "node-hungry",
                                        "nodejs",
                                        "index.handler",
                                        Map.of(
                                                "index.js",
                                                """
                                                exports.handler = () => {
                                                  const keep = [];
                                                  for (;;) keep.push(new Array(1e6).fill(7));
                                                };
                                                """),
                                        30_000,
                                        1))
                        .setMemoryMb(64)
                        .build();
        group.submit(invocation(hungry, "k", "x"));
        group.submit(invocation(healthy(), "h", "fine"));
        runUntilIdle(Duration.ofSeconds(60));

        InvocationResult oom = resultOf("node-hungry");
        assertThat(oom.getFailureKind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(oom.getError()).contains("64 MB").contains("--memory");
        assertThat(resultOf("healthy").getSuccess()).isTrue();
    }

    @Test
    void aMissingExportIsACodeLoadFailureNamingIt() throws Exception {
        FunctionSpec broken =
                spec(
                        "py-broken",
                        "python",
                        "handler.nothere",
                        Map.of("handler.py", "def main(event, context):\n    return ''\n"),
                        5_000,
                        3);
        group.submit(invocation(broken, "k", "a"));
        runUntilIdle(Duration.ofSeconds(60));

        assertThat(letters()).singleElement().matches(l -> l.getKind() == FailureKind.CODE_LOAD);
        assertThat(letters().get(0).getReason()).contains("nothere");
        assertThat(results()).allMatch(r -> r.getAttempts() == 0);
    }

    @Test
    void codeThatCannotBeHadIsACodeLoadFailureAndItsWorkerIsStopped() throws Exception {
        // the worker starts while the code is fetched: a fetch that fails must stop it again
        FunctionSpec deployed =
                spec(
                        "node-changed",
                        "nodejs",
                        "index.handler",
                        Map.of("index.js", "exports.handler = () => 'ok';\n"),
                        5_000,
                        3);
        FunctionSpec changed =
                FunctionSpec.newBuilder(deployed).setCodeSha256("0".repeat(64)).build();
        group.submit(invocation(changed, "k", "a"));
        runUntilIdle(Duration.ofSeconds(60));

        assertThat(letters()).singleElement().matches(l -> l.getKind() == FailureKind.CODE_LOAD);
        assertThat(letters().get(0).getReason()).contains("deploy the function again");
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (runtime.workers.workerCount() > 0 && System.nanoTime() < end) {
            Thread.sleep(20); // polls the condition
        }
        assertThat(runtime.workers.workerCount()).as("workers left").isZero();
    }

    @Test
    void anHttpFunctionIsReachedWithTheProtocolsFramesAndItsErrorsAreRetried() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/fn",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if (calls.incrementAndGet() == 1) { // the first attempt meets a bad gateway
                        exchange.sendResponseHeaders(502, -1);
                        exchange.close();
                        return;
                    }
                    try {
                        Invoke invoke = (Invoke) Message.of(FrameCodec.decode(body));
                        String text = new String(invoke.data(), StandardCharsets.UTF_8);
                        byte[] answer =
                                FrameCodec.encodeAll(
                                                List.of(
                                                        new Log(
                                                                invoke.id(),
                                                                "INFO",
                                                                "remote got " + text,
                                                                System.currentTimeMillis()),
                                                        new Result.Ok(
                                                                invoke.id(),
                                                                "text/plain",
                                                                200,
                                                                Map.of(),
                                                                10,
                                                                ("remote " + text)
                                                                        .getBytes(
                                                                                StandardCharsets
                                                                                        .UTF_8))))
                                        .array();
                        exchange.getResponseHeaders()
                                .set("Content-Type", RemoteFunctions.CONTENT_TYPE);
                        exchange.sendResponseHeaders(200, answer.length);
                        exchange.getResponseBody().write(answer);
                    } catch (Exception e) {
                        exchange.sendResponseHeaders(500, -1);
                    }
                    exchange.close();
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/fn";
            FunctionSpec remote =
                    FunctionSpec.newBuilder(spec("remote", "http", "", Map.of("x", ""), 5_000, 2))
                            .setCodeUri(url)
                            .setCodeSha256("")
                            .build();
            group.submit(invocation(remote, "k", "ping"));
            runUntilIdle(Duration.ofSeconds(30));
        } finally {
            server.stop(0);
        }

        InvocationResult result = resultOf("remote");
        assertThat(result.getSuccess()).isTrue();
        assertThat(text(result.getData())).isEqualTo("remote ping");
        assertThat(result.getAttempts()).isEqualTo(2);
        assertThat(logLines()).contains("remote got ping");
    }

    @Test
    void aJavaFunctionRunsInItsOwnWorkerJvm() throws Exception {
        FunctionSpec upper = javaSpec("java-upper", Upper.class, 256);
        for (int i = 0; i < 3; i++) {
            group.submit(invocation(upper, "k", "java " + i));
        }
        runUntilIdle(Duration.ofSeconds(60));

        assertThat(results().stream().map(r -> text(r.getData())))
                .containsExactly("JAVA 0", "JAVA 1", "JAVA 2");
        assertThat(runtime.workers.workerCount()).isEqualTo(1);
    }

    @Test
    void aJavaHandlersSystemExitEndsOnlyItsWorker() throws Exception {
        FunctionSpec exiter = javaSpec("java-exits", Exiter.class, 256);
        group.submit(invocation(exiter, "k", "x"));
        group.submit(invocation(healthy(), "h", "fine"));
        runUntilIdle(Duration.ofSeconds(60));

        InvocationResult exited = resultOf("java-exits");
        assertThat(exited.getFailureKind()).isEqualTo(FailureKind.WORKER_EXITED);
        assertThat(exited.getError()).contains("exited with code 7").contains("System.exit");
        assertThat(resultOf("healthy").getSuccess()).isTrue();
    }

    @Test
    void aJavaFunctionOverItsMemoryFailsOutOfMemory() throws Exception {
        FunctionSpec hog = javaSpec("java-hog", Hog.class, 128);
        group.submit(invocation(hog, "k", "x"));
        group.submit(invocation(healthy(), "h", "fine"));
        runUntilIdle(Duration.ofSeconds(60));

        InvocationResult oom = resultOf("java-hog");
        assertThat(oom.getFailureKind()).isEqualTo(FailureKind.OUT_OF_MEMORY);
        assertThat(oom.getError()).contains("128 MB");
        assertThat(resultOf("healthy").getSuccess()).isTrue();
    }

    private FunctionSpec javaSpec(String name, Class<?> handler, int memoryMb) throws Exception {
        return FunctionSpec.newBuilder(spec(name, handler, 10_000, 4, Map.of(), 1))
                .setRuntime("java")
                .setMemoryMb(memoryMb)
                .build();
    }

    private FunctionSpec healthy() throws IOException {
        return spec(
                "healthy",
                "nodejs",
                "index.handler",
                Map.of("index.js", "exports.handler = (event) => event.text();"),
                5_000,
                1);
    }

    private InvocationResult resultOf(String function) {
        return results().stream()
                .filter(r -> r.getFunction().equals(function))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no result of " + function));
    }

    private List<String> logLines() {
        return out.stream()
                .filter(r -> r.topic.equals(Topics.LOGS))
                .map(r -> LOGS.decode(r.value))
                .map(LogRecord::getMessage)
                .toList();
    }

    private FunctionSpec spec(
            String name,
            String runtimeName,
            String handler,
            Map<String, String> files,
            long timeoutMs,
            int maxAttempts)
            throws IOException {
        Path zip = dir.resolve(name + ".zip");
        try (OutputStream file = Files.newOutputStream(zip);
                ZipOutputStream z = new ZipOutputStream(file)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        byte[] bytes = Files.readAllBytes(zip);
        return FunctionSpec.newBuilder()
                .setName(name)
                .setVersion(1)
                .setRuntime(runtimeName)
                .setHandler(handler)
                .setCodeUri(zip.toUri().toString())
                .setCodeSha256(TestJars.sha256(bytes))
                .setTimeoutMs(timeoutMs)
                .setMaxConcurrency(4)
                .setMemoryMb(256)
                .setRetry(
                        RetryPolicy.newBuilder()
                                .setMaxAttempts(maxAttempts)
                                .setBackoffMs(1)
                                .build())
                .setDeployedAt(Instant.EPOCH)
                .build();
    }
}
