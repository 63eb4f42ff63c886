package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkerConfigTest {

    private static final Path HOME = TestSdkHome.find();

    @Test
    void buildsEachRuntimesCommandFromTheSdkHome() {
        assertThat(WorkerConfig.builder(WorkerRuntime.NODEJS, HOME).build().command())
                .containsExactly(
                        "node", HOME.resolve("sdk/nodejs/bin/flowfn-worker.js").toString());
        assertThat(WorkerConfig.builder(WorkerRuntime.PYTHON, HOME).build().command())
                .containsExactly("python3", "-m", "flowfn.worker");
        assertThat(WorkerRuntime.PYTHON.environment(HOME, 0))
                .containsEntry("PYTHONPATH", HOME.resolve("sdk/python/src").toString())
                .doesNotContainKey("FLOWFN_WORKER_MEMORY_MB");
    }

    @Test
    void givesEachRuntimeTheFunctionsMemoryLimitItsOwnWay() {
        assertThat(
                        WorkerConfig.builder(WorkerRuntime.NODEJS, HOME)
                                .setMemoryMb(128)
                                .build()
                                .command())
                .containsExactly(
                        "node",
                        "--max-old-space-size=128",
                        HOME.resolve("sdk/nodejs/bin/flowfn-worker.js").toString());
        assertThat(
                        WorkerConfig.builder(WorkerRuntime.PYTHON, HOME)
                                .setMemoryMb(128)
                                .build()
                                .environment())
                .containsEntry("FLOWFN_WORKER_MEMORY_MB", "128");
        assertThat(WorkerRuntime.JAVA.arguments(HOME, 128))
                .contains("-Xmx128m", "-XX:+ExitOnOutOfMemoryError")
                .endsWith(WorkerRuntime.JAVA_WORKER_MAIN);
    }

    @Test
    void aWorkerThatRanOutOfMemoryIsToldFromOneThatExited() {
        assertThat(WorkerExits.kind(3, "", false)).isEqualTo(WorkerFailureKind.OUT_OF_MEMORY);
        assertThat(
                        WorkerExits.kind(
                                134,
                                "FATAL ERROR: Reached heap limit Allocation failed -"
                                        + " JavaScript heap out of memory",
                                false))
                .isEqualTo(WorkerFailureKind.OUT_OF_MEMORY);
        assertThat(WorkerExits.kind(1, "bye", false)).isEqualTo(WorkerFailureKind.WORKER_EXITED);
        assertThat(WorkerExits.kind(137, "", true)).isEqualTo(WorkerFailureKind.WORKER_EXITED);
    }

    @Test
    void namesTheFixForAnSdkHomeWithoutTheWorker() {
        assertThatThrownBy(
                        () ->
                                WorkerConfig.builder(WorkerRuntime.NODEJS, Path.of("/nowhere"))
                                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(
                        "no nodejs worker at /nowhere/sdk/nodejs/bin/flowfn-worker.js")
                .hasMessageContaining("-Dflowfn.home=DIR");
    }

    @Test
    void refusesBadValuesNamingThem() {
        assertThatThrownBy(
                        () ->
                                WorkerConfig.builder(WorkerRuntime.PYTHON, HOME)
                                        .setConcurrency(0)
                                        .build())
                .hasMessage("worker concurrency 0 must be at least 1");
        assertThatThrownBy(
                        () ->
                                WorkerConfig.builder(WorkerRuntime.PYTHON, HOME)
                                        .setWorkerId("a b")
                                        .build())
                .hasMessageContaining("worker id 'a b' must match");
        assertThatThrownBy(
                        () ->
                                WorkerConfig.builder(WorkerRuntime.PYTHON, HOME)
                                        .setProtocol(3)
                                        .build())
                .hasMessage("worker protocol 3 must be 1 to 2");
        assertThatThrownBy(() -> WorkerRuntime.of("ruby"))
                .hasMessage(
                        "runtime 'ruby' has no worker; the worker runtimes are java, nodejs, python");
    }
}
