package dev.flowfn.deploy.local;

import dev.flowfn.deploy.control.client.ControlClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** The local platform as the integration tests start it, and a client of its control API. */
final class TestPlatforms {

    /** Job options for tests that wait for metering windows or alerts: 2 s windows, closed fast. */
    static final Map<String, String> SHORT_METERING_WINDOWS =
            Map.of("flowfn.metering.window", "2s", "flowfn.metering.max-delay", "500ms");

    /**
     * Kafka and S3 child JVMs, the job on a MiniCluster (500 ms checkpoints, parallelism 2), the
     * control server.
     */
    static LocalPlatform start(Path dir, Map<String, String> jobConf) throws Exception {
        return LocalPlatform.start(
                LocalSettings.embedded(new DataDir(dir), Duration.ofMillis(500), 2, jobConf),
                new PrintWriter(System.out, true));
    }

    /** A client with the token the platform wrote to its data folder. */
    static ControlClient client(LocalPlatform platform, Path dir) throws IOException {
        return new ControlClient(
                URI.create(platform.controlUrl()),
                ClientConfigFile.read(dir.resolve("client.json")).token());
    }

    private TestPlatforms() {}
}
