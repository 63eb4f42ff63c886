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
import java.util.stream.Stream;
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
        deployArchive(
                "loops",
                "python",
                "handler.main",
                Map.of("handler.py", "def main(event, context):\n    while True:\n        pass\n"),
                List.of("timeout", "2s", "retries", 0));

        ResultView looped = invoke("loops", "x");
        assertThat(looped.failureKind()).isEqualTo("TIMEOUT");
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!workers("loops-").isEmpty() && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertThat(workers("loops-")).as("the looping worker is gone within 5 s").isEmpty();
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
        deployArchive(
                "slow",
                "nodejs",
                "index.handler",
                Map.of(
                        "index.js",
                        "exports.handler = async (event) => {\n"
                                + "  await new Promise((r) => setTimeout(r, 3000));\n"
                                + "  return 'slept on ' + event.text();\n"
                                + "};\n"),
                List.of("retries", 2));

        String id = client.invokeAsync("slow", "x".getBytes(StandardCharsets.UTF_8), "text/plain");
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        List<Long> pids = workers("slow-");
        while (pids.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(50);
            pids = workers("slow-");
        }
        assertThat(pids).as("the slow function's worker started").hasSize(1);
        Thread.sleep(1_000); // in the middle of its 3 s
        new ProcessBuilder("kill", "-9", Long.toString(pids.get(0))).start().waitFor();

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

    /** The pids of the worker processes whose FLOWFN_WORKER_ID starts with {@code prefix}. */
    private static List<Long> workers(String prefix) throws IOException {
        List<Long> pids = new ArrayList<>();
        byte[] wanted = ("FLOWFN_WORKER_ID=" + prefix).getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.toList()) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                Optional<byte[]> env = environ(p);
                if (env.isPresent() && contains(env.get(), wanted)) {
                    pids.add(Long.parseLong(name));
                }
            }
        }
        return pids;
    }

    private static Optional<byte[]> environ(Path proc) {
        try {
            return Optional.of(Files.readAllBytes(proc.resolve("environ")));
        } catch (IOException | SecurityException e) {
            return Optional.empty(); // gone, or not ours
        }
    }

    private static boolean contains(byte[] env, byte[] wanted) {
        outer:
        for (int i = 0; i + wanted.length <= env.length; i++) {
            if (i > 0 && env[i - 1] != 0) {
                continue;
            }
            for (int j = 0; j < wanted.length; j++) {
                if (env[i + j] != wanted[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
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
