package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.Progress;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.testfns.Ticker;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.testing.TestJars;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cron triggers on {@code flowfn local}: the timer connector in the embedded Connect worker follows
 * a deploy and a delete, the job runs each tick once, and the handler's progress shows in describe.
 */
class TimerLocalIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;

    @BeforeAll
    static void start() throws Exception {
        platform = TestPlatforms.start(dir, Map.of());
        client = TestPlatforms.client(platform, dir);
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aQuartzEverySecondTriggerRunsOncePerTickUntilDeleted() throws Exception {
        client.deploy(
                DeploySpecs.of(
                        "name",
                        "every-second",
                        "handler",
                        Ticker.class.getName(),
                        "timeout",
                        "2h",
                        "triggers",
                        List.of("cron:expr=* * * * * ?")),
                "ticker.jar",
                TestJars.of(Ticker.class));
        List<InvocationResult> results = results(5, Duration.ofSeconds(90));
        assertThat(results.size()).isGreaterThanOrEqualTo(5);
        assertThat(results).allMatch(InvocationResult::getSuccess);
        Set<String> ticks =
                results.stream().map(InvocationResult::getEventId).collect(Collectors.toSet());
        assertThat(ticks).as("one committed result per tick").hasSize(results.size());
        assertThat(ticks).allMatch(id -> id.startsWith("timer:every-second/"));

        FunctionView described = client.describe("every-second");
        assertThat(described.timeout()).isEqualTo("2h");
        Progress progress = described.progress();
        assertThat(progress).isNotNull();
        assertThat(progress.message()).startsWith("[progress] tick ");

        client.delete("every-second");
        Thread.sleep(4_000); // the connector and the job see the delete
        int afterDelete = results(0, Duration.ZERO).size();
        Thread.sleep(4_000);
        assertThat(results(0, Duration.ZERO)).as("no ticks after the delete").hasSize(afterDelete);
    }

    private static List<InvocationResult> results(int atLeast, Duration timeout) {
        return ResultsReader.read(
                platform.kafkaBootstrap(),
                r -> r.getFunction().equals("every-second"),
                atLeast,
                timeout);
    }
}
