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
        assertThat(WorkerRuntime.PYTHON.environment(HOME))
                .containsEntry("PYTHONPATH", HOME.resolve("sdk/python/src").toString());
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
        assertThatThrownBy(() -> WorkerRuntime.of("ruby"))
                .hasMessage("runtime 'ruby' has no worker; the worker runtimes are nodejs, python");
    }
}
