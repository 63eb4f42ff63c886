package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerPoolVersionTest {

    private static WorkerPool.Version version(WorkerRuntime runtime, int concurrency) {
        return new WorkerPool.Version("f", 1, runtime, "h", 128, concurrency, Map.of());
    }

    @Test
    void aJavaOrNodeJsWorkerRunsUpTo16AtOnce() {
        for (WorkerRuntime runtime :
                new WorkerRuntime[] {WorkerRuntime.JAVA, WorkerRuntime.NODEJS}) {
            assertThat(version(runtime, 16).workerConcurrency()).isEqualTo(16);
            assertThat(version(runtime, 16).maxWorkers()).isEqualTo(1);
            assertThat(version(runtime, 40).maxWorkers()).isEqualTo(3);
        }
    }

    @Test
    void aPythonVersionGetsAProcessPer8() {
        assertThat(version(WorkerRuntime.PYTHON, 16).workerConcurrency()).isEqualTo(8);
        assertThat(version(WorkerRuntime.PYTHON, 16).maxWorkers()).isEqualTo(2);
        assertThat(version(WorkerRuntime.PYTHON, 17).maxWorkers()).isEqualTo(3);
    }

    @Test
    void aVersionOfLowConcurrencyKeepsOneWorkerOfItsConcurrency() {
        for (WorkerRuntime runtime : WorkerRuntime.values()) {
            assertThat(version(runtime, 3).workerConcurrency()).isEqualTo(3);
            assertThat(version(runtime, 3).maxWorkers()).isEqualTo(1);
        }
    }
}
