package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerOptionsTest {

    @Test
    void aSocketWithDefaults() {
        WorkerOptions o = WorkerOptions.fromEnv(Map.of("FLOWFN_WORKER_SOCKET", "/tmp/w.sock"));
        assertThat(o).isEqualTo(new WorkerOptions(Path.of("/tmp/w.sock"), null, 0, 8, null, 1000));
    }

    @Test
    void theSocketWinsOverAnAddress() {
        WorkerOptions o =
                WorkerOptions.fromEnv(
                        Map.of(
                                "FLOWFN_WORKER_SOCKET", "/tmp/w.sock",
                                "FLOWFN_WORKER_ADDRESS", "127.0.0.1:7070",
                                "FLOWFN_WORKER_CONCURRENCY", "3",
                                "FLOWFN_WORKER_ID", "w-7",
                                "FLOWFN_WORKER_FAST_LIMIT_US", "250"));
        assertThat(o).isEqualTo(new WorkerOptions(Path.of("/tmp/w.sock"), null, 0, 3, "w-7", 250));
    }

    @Test
    void anAddress() {
        assertThat(WorkerOptions.fromEnv(Map.of("FLOWFN_WORKER_ADDRESS", "127.0.0.1:7070")))
                .isEqualTo(new WorkerOptions(null, "127.0.0.1", 7070, 8, null, 1000));
        assertThat(WorkerOptions.fromEnv(Map.of("FLOWFN_WORKER_ADDRESS", "[::1]:80")).host())
                .isEqualTo("::1");
    }

    @Test
    void badSettingsNameTheVariable() {
        assertThatThrownBy(() -> WorkerOptions.fromEnv(Map.of()))
                .hasMessageContaining("set FLOWFN_WORKER_SOCKET")
                .hasMessageContaining("FLOWFN_WORKER_ADDRESS");
        for (String bad : new String[] {"7070", "host:", "host:x", "host:70000", ":7070"}) {
            assertThatThrownBy(() -> WorkerOptions.fromEnv(Map.of("FLOWFN_WORKER_ADDRESS", bad)))
                    .hasMessage(
                            "FLOWFN_WORKER_ADDRESS '"
                                    + bad
                                    + "' must be host:port, e.g. 127.0.0.1:7070");
        }
        for (String bad : new String[] {"0", "-1", "lots", "1.5", "9999999999"}) {
            assertThatThrownBy(
                            () ->
                                    WorkerOptions.fromEnv(
                                            Map.of(
                                                    "FLOWFN_WORKER_SOCKET",
                                                    "/s",
                                                    "FLOWFN_WORKER_CONCURRENCY",
                                                    bad)))
                    .hasMessage(
                            "FLOWFN_WORKER_CONCURRENCY '"
                                    + bad
                                    + "' must be a positive integer (8 when unset)");
        }
        for (String bad : new String[] {"0", "-5", "1ms"}) {
            assertThatThrownBy(
                            () ->
                                    WorkerOptions.fromEnv(
                                            Map.of(
                                                    "FLOWFN_WORKER_SOCKET",
                                                    "/s",
                                                    "FLOWFN_WORKER_FAST_LIMIT_US",
                                                    bad)))
                    .hasMessage(
                            "FLOWFN_WORKER_FAST_LIMIT_US '"
                                    + bad
                                    + "' must be a whole number of at least 1 (1000 when unset)");
        }
    }
}
