package dev.flowfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness cannot rot: every scenario runs briefly ({@code --quick}, in this JVM) and the report
 * must be complete, each scenario with numeric figures. The figures themselves are not checked:
 * timed assertions do not belong in a test suite.
 */
class BenchQuickIT {

    @TempDir Path out;

    @Test
    void quickRunReportsEveryScenarioWithNumericFigures() throws Exception {
        BenchMain.run(Profile.QUICK, out, BenchMain.ALL, false);

        JsonNode report = new ObjectMapper().readTree(out.resolve("latest.json").toFile());
        assertThat(report.path("run").path("mode").asText()).isEqualTo("quick");
        assertThat(report.path("run").path("incomplete").isMissingNode())
                .as("incomplete report: %s", report.path("run").path("incomplete"))
                .isTrue();
        Set<Integer> seen = new HashSet<>();
        for (JsonNode scenario : report.path("scenarios")) {
            int number = scenario.path("scenario").asInt();
            seen.add(number);
            assertThat(scenario.has("error"))
                    .as("scenario %d failed: %s", number, scenario.path("error").asText())
                    .isFalse();
            assertThat(scenario.path("rows").size()).as("rows of scenario %d", number).isPositive();
            for (JsonNode row : scenario.path("rows")) {
                String what = "scenario " + number + ", " + row.path("name").asText();
                assertThat(row.path("figure").isNumber()).as("figure of %s", what).isTrue();
                assertThat(row.path("baseline").isNumber()).as("baseline of %s", what).isTrue();
                assertThat(row.path("ratio").isNumber()).as("ratio of %s", what).isTrue();
                assertThat(row.path("goal").asText()).as("goal of %s", what).isNotBlank();
                assertThat(row.path("unit").asText()).as("unit of %s", what).isNotBlank();
            }
        }
        assertThat(seen).containsAll(BenchMain.ALL);
        assertThat(Files.readString(out.resolve("latest.md")))
                .contains("| # | Scenario | Figure | Baseline | Ratio | Goal | Met |");
    }
}
