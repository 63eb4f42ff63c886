package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.deploy.control.client.ControlApiException;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.control.client.UploadListener;
import dev.flowfn.deploy.testfns.Exits;
import dev.flowfn.deploy.testfns.Hog;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.testing.TestJars;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Function runtimes on the real platform, each failure beside a healthy Node.js function that keeps
 * answering: a Java handler's System.exit, a Python endless loop, a Java function over its memory,
 * and a Node.js worker killed with kill -9 in the middle of an invocation.
 */
class RuntimesIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
        deployArchive(
                "healthy",
                "nodejs",
                "index.handler",
                Map.of("index.js", "exports.handler = (event) => 'ok ' + event.text();"),
                List.of());
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aJavaHandlersSystemExitFailsOnlyItsOwnInvocation() throws Exception {
        client.deploy(
                DeploySpecs.of("name", "exits", "handler", Exits.class.getName(), "retries", 0),
                "exits.jar",
                TestJars.of(Exits.class));

        ResultView exited = invoke("exits", "x");
        assertThat(exited.success()).isFalse();
        assertThat(exited.failureKind()).isEqualTo("WORKER_EXITED");
        assertThat(exited.error()).contains("exited with code 1").contains("System.exit");
        assertHealthy();
        assertThat(invoke("exits", "again").failureKind()).isEqualTo("WORKER_EXITED");
        assertHealthy();
    }

    @Test
    void anEndlessLoopTimesOutAndItsProcessIsKilled() throws Exception {
        Path pidFile = dir.resolve("loops.pid");
        deployArchive(
                "loops",
                "python",
                "handler.main",
                Map.of(
                        "handler.py",
                        "import os\n\n"
                                + "def main(event, context):\n"
                                + "    with open(context.env['PID_FILE'], 'w') as f:\n"
                                + "        f.write(str(os.getpid()))\n"
                                + "    while True:\n"
                                + "        pass\n"),
                List.of(
                        "timeout",
                        "2s",
                        "retries",
                        0,
                        "env",
                        Map.of("PID_FILE", pidFile.toString())));

        ResultView looped = invoke("loops", "x");
        assertThat(looped.failureKind()).isEqualTo("TIMEOUT");
        Optional<ProcessHandle> worker = workerOf(pidFile);
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (worker.map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(worker.map(ProcessHandle::isAlive).orElse(false))
                .as("the looping worker is gone within 5 s")
                .isFalse();
        assertHealthy();
    }

    @Test
    void aFunctionOverItsMemoryFailsOutOfMemory() throws Exception {
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "hog",
                        "handler",
                        Hog.class.getName(),
                        "memoryMb",
                        128,
                        "retries",
                        0),
                "hog.jar",
                TestJars.of(Hog.class));

        ResultView hog = invoke("hog", "x");
        assertThat(hog.failureKind()).isEqualTo("OUT_OF_MEMORY");
        assertThat(hog.error()).contains("128 MB").contains("--memory");
        assertHealthy();
    }

    @Test
    void aWorkerKilledInTheMiddleOfAnInvocationIsRetriedAndItsResultCommittedOnce()
            throws Exception {
        Path pidFile = dir.resolve("slow.pid");
        deployArchive(
                "slow",
                "nodejs",
                "index.handler",
                Map.of(
                        "index.js",
                        "exports.handler = async (event) => {\n"
                                + "  require('fs').writeFileSync(process.env.PID_FILE,"
                                + " String(process.pid));\n"
                                + "  await new Promise((r) => setTimeout(r, 3000));\n"
                                + "  return 'slept on ' + event.text();\n"
                                + "};\n"),
                List.of("retries", 2, "env", Map.of("PID_FILE", pidFile.toString())));

        String id = client.invokeAsync("slow", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(pidFile) && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        ProcessHandle worker =
                workerOf(pidFile).orElseThrow(() -> new AssertionError("the worker is gone"));
        Thread.sleep(1_000); // in the middle of its 3 s
        new ProcessBuilder("kill", "-9", Long.toString(worker.pid())).start().waitFor();

        ResultView result = awaitResult(id, Duration.ofSeconds(60));
        assertThat(result.success()).isTrue();
        assertThat(result.data()).isEqualTo("slept on x");
        assertThat(result.attempts()).isEqualTo(2);
        List<InvocationResult> committed =
                ResultsReader.read(
                        platform.kafkaBootstrap(),
                        r -> r.getInvocationId().equals(id),
                        1,
                        Duration.ofSeconds(30));
        assertThat(committed).as("committed exactly once").hasSize(1);
        assertHealthy();
    }

    /** The committed result of an invocation, once there is one. */
    private static ResultView awaitResult(String id, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                return client.result(id);
            } catch (ControlApiException notYet) {
                if (System.nanoTime() > end) {
                    throw notYet;
                }
                Thread.sleep(250);
            }
        }
    }

    private static void assertHealthy() {
        for (int i = 0; i < 3; i++) {
            ResultView ok = invoke("healthy", "n" + i);
            assertThat(ok.success()).as("the healthy function answers").isTrue();
            assertThat(ok.data()).isEqualTo("ok n" + i);
        }
    }

    private static ResultView invoke(String function, String data) {
        return client.invoke(function, data.getBytes(StandardCharsets.UTF_8), "text/plain");
    }

    /**
     * The worker process whose handler wrote its pid to {@code pidFile}, while it lives (a worker
     * started ahead as a spare has no FLOWFN_WORKER_ID of its function, so the handler says which
     * it is).
     */
    private static Optional<ProcessHandle> workerOf(Path pidFile) throws IOException {
        assertThat(pidFile).as("the handler wrote its worker's pid").exists();
        return ProcessHandle.of(Long.parseLong(Files.readString(pidFile).strip()));
    }

    private static void deployArchive(
            String name,
            String runtime,
            String handler,
            Map<String, String> files,
            List<Object> more)
            throws IOException {
        List<Object> fields =
                new ArrayList<>(List.of("name", name, "handler", handler, "runtime", runtime));
        fields.addAll(more);
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(zip)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        client.deployArchive(
                DeploySpecs.of(fields.toArray()),
                name + ".zip",
                zip.toByteArray(),
                UploadListener.NONE);
    }
}
