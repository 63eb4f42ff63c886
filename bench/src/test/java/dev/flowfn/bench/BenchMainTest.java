package dev.flowfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The report completeness check that fails a run (no platform started). */
class BenchMainTest {

    private static Report.Row row(String name, double figure, double baseline) {
        return new Report.Row(
                name, figure, baseline, "ms", "a baseline", "none set", null, Map.of(), null);
    }

    @Test
    void aCompleteReportHasNoProblems() {
        Report report = new Report();
        report.scenario(1, "one").row(row("a", 1, 2));
        report.scenario(9, "nine").row(row("b", 3, 4));

        assertThat(BenchMain.incomplete(report, Set.of(1, 9))).isEmpty();
    }

    @Test
    void aRowWithoutFigureOrBaselineAndAMissingScenarioAreProblems() {
        Report report = new Report();
        report.scenario(1, "one").row(row("a", Double.NaN, 2)).row(row("b", 1, Double.NaN));
        report.scenario(8, "eight");

        assertThat(BenchMain.incomplete(report, Set.of(1, 8, 9)))
                .containsExactlyInAnyOrder(
                        "scenario 8 has no rows",
                        "scenario 9 was chosen but has no entry",
                        "scenario 1, a: no figure",
                        "scenario 1, b: no baseline");
    }

    @Test
    void aFailedScenarioWithoutRowsIsReportedByItsErrorNotAsIncomplete() {
        Report report = new Report();
        report.scenario(9, "nine").error = "IllegalStateException: boom";

        assertThat(BenchMain.incomplete(report, Set.of(9))).isEmpty();
    }
}
