package dev.flowfn.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopologySettingsTest {

    private static TopologySettings settings(
            int taskManagers, int slots, int parallelism, boolean reactive) {
        return new TopologySettings(
                Path.of("t"),
                3,
                taskManagers,
                slots,
                2,
                2,
                parallelism,
                Duration.ofSeconds(2),
                Map.of(),
                reactive,
                true);
    }

    @Test
    void aParallelismBeyondTheSlotsIsRefusedWithTheCount() {
        assertThatThrownBy(() -> settings(2, 2, 5, false))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parallelism 5 needs 5 slots; 2 TaskManagers of 2 slots offer 4");
    }

    @Test
    void reactiveModeTakesItsParallelismFromTheSlots() {
        assertThat(settings(1, 2, 5, true).reactive()).isTrue();
    }

    @Test
    void everyCountIsAtLeastOne() {
        assertThatThrownBy(() -> settings(0, 2, 1, false))
                .hasMessage("task managers must be at least 1 (got 0)");
    }
}
