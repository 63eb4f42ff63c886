package dev.flowfn.bench.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.job.runtime.SdkHome;
import dev.flowfn.job.runtime.WorkerConfig;
import dev.flowfn.job.runtime.WorkerRuntime;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Worker processes are told apart by the command lines the job starts them with. */
class WorkerProcessesTest {

    private static final Path HOME = SdkHome.find(null, null, Path.of("")).orElseThrow();

    private static List<String> workerCommand(WorkerRuntime runtime) {
        return WorkerConfig.builder(runtime, HOME).setMemoryMb(256).build().command();
    }

    @Test
    void eachWorkersCommandLineNamesItsRuntime() {
        for (WorkerRuntime runtime : WorkerRuntime.values()) {
            assertThat(WorkerProcesses.runtimeOf(workerCommand(runtime)))
                    .as("%s", workerCommand(runtime))
                    .isEqualTo(runtime.id());
        }
    }

    @Test
    void otherProcessesAreNoWorkers() {
        assertThat(
                        WorkerProcesses.runtimeOf(
                                List.of(
                                        "/usr/bin/java",
                                        "-Xmx512m",
                                        "-cp",
                                        "kafka.jar",
                                        "kafka.Kafka",
                                        "server.properties")))
                .isNull();
        assertThat(WorkerProcesses.runtimeOf(List.of("python3", "-c", "import time"))).isNull();
        assertThat(WorkerProcesses.runtimeOf(List.of("python3", "-m"))).isNull();
        assertThat(WorkerProcesses.runtimeOf(List.of())).isNull();
    }

    @Test
    void aProcessThatIsGoneHasNoCommandLine() {
        assertThat(WorkerProcesses.commandLine(Long.MAX_VALUE)).isEmpty();
        assertThat(WorkerProcesses.commandLine(ProcessHandle.current().pid())).isNotEmpty();
    }
}
