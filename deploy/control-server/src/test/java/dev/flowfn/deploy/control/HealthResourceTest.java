package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthResourceTest {

    private final AtomicBoolean registryDied = new AtomicBoolean();
    private final HealthResource health =
            new HealthResource(
                    Map.of(
                            "registry (flowfn.functions)",
                            () -> {
                                if (registryDied.get()) {
                                    throw new IllegalStateException(
                                            "following flowfn.functions stopped");
                                }
                            },
                            "keys (flowfn.keys)",
                            () -> {}));

    @Test
    void healthyAndReadyWhileTheViewsFollow() {
        assertThat(health.health()).isNull();
        assertThat(health.ready()).isNull();
    }

    @Test
    void aDeadViewFailsBothAndNamesTheFix() {
        registryDied.set(true);

        assertThat(health.health())
                .contains("registry (flowfn.functions)")
                .contains("following flowfn.functions stopped")
                .endsWith("restart this server");
        assertThat(health.ready()).isEqualTo(health.health());
    }

    @Test
    void stoppingFailsReadinessOnly() {
        health.stopping();

        assertThat(health.ready()).isEqualTo("this server is stopping");
        assertThat(health.health()).isNull();
    }
}
