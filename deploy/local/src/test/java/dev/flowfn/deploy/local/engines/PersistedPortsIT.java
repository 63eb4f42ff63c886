package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An IT because it binds sockets on 127.0.0.1. */
class PersistedPortsIT {

    @TempDir Path dir;

    @Test
    void choosesDistinctPortsOnceAndKeepsThem() throws Exception {
        Path file = dir.resolve("ports.properties");

        PersistedPorts first = PersistedPorts.loadOrAllocate(file, "broker", "controller");
        PersistedPorts again = PersistedPorts.loadOrAllocate(file, "broker", "controller");

        assertThat(first.get("broker"))
                .isNotEqualTo(first.get("controller"))
                .isBetween(PersistedPorts.FIRST_PORT, PersistedPorts.LAST_PORT);
        assertThat(again.get("broker")).isEqualTo(first.get("broker"));
        assertThat(again.get("controller")).isEqualTo(first.get("controller"));
        assertThat(Files.readString(file)).contains("broker=" + first.get("broker"));
        first.requireFree("test");
    }

    @Test
    void namesAPortThatIsTaken() throws Exception {
        Path file = dir.resolve("ports.properties");
        int port = PersistedPorts.loadOrAllocate(file, "s3").get("s3");

        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", port));
            assertThatThrownBy(
                            () -> PersistedPorts.loadOrAllocate(file, "s3").requireFree("S3 store"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("S3 store port " + port)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining("already in use");
        }
    }

    @Test
    void choosesAgainAPortItJustChoseThatAnotherProcessTookSince() throws Exception {
        Path file = dir.resolve("ports.properties");
        PersistedPorts chosen = PersistedPorts.loadOrAllocate(file, "s3", "admin");
        int taken = chosen.get("s3");

        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress("127.0.0.1", taken));
            PersistedPorts free = chosen.requireFree("S3 store");

            assertThat(free.get("s3")).isNotEqualTo(taken);
            assertThat(free.get("admin")).isEqualTo(chosen.get("admin"));
            assertThat(PersistedPorts.loadOrAllocate(file, "s3", "admin").get("s3"))
                    .as("saved")
                    .isEqualTo(free.get("s3"));
        }
    }
}
