package dev.flowfn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The report says per scenario which runtime its functions ran in, and how the run was set up. */
class MarkdownTest {

    @TempDir Path dir;

    @Test
    void aScenariosRuntimeIsInTheNotesAndTheJson() throws Exception {
        Report report = new Report();
        report.scenario(4, "four")
                .runtime("java-embedded (the handler in the TaskManager's JVM)")
                .row(
                        new Report.Row(
                                "p99", 1, 2, "ms", "a baseline", "none set", null, Map.of(), null));
        report.scenario(6, "six")
                .row(
                        new Report.Row(
                                "µs", 1, 2, "µs", "a baseline", "none set", null, Map.of(), null));

        assertThat(Markdown.render(report))
                .contains("- 4: runtime java-embedded (the handler in the TaskManager's JVM)\n")
                .doesNotContain("- 6: runtime");
        report.writeJson(dir.resolve("latest.json"));
        var json = new ObjectMapper().readTree(dir.resolve("latest.json").toFile());
        assertThat(json.path("scenarios").get(0).path("runtime").asText())
                .isEqualTo("java-embedded (the handler in the TaskManager's JVM)");
        assertThat(json.path("scenarios").get(1).has("runtime")).isFalse();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "localJavaOptions | -XX:+UseZGC -Xlog:gc:file=gc.log | extra JVM options |"
                        + " `flowfn local` ran with the extra JVM options `-XX:+UseZGC"
                        + " -Xlog:gc:file=gc.log` (BENCH_LOCAL_JAVA_OPTS).",
                "localArgs | --conf flowfn.kafka.sink-linger=5ms | extra arguments |"
                        + " `flowfn local` ran with the extra arguments `--conf"
                        + " flowfn.kafka.sink-linger=5ms` (BENCH_LOCAL_ARGS)."
            })
    void theHeaderNamesWhatFlowfnLocalRanWithOnlyWhenThereIsSome(
            String key, String given, String absent, String sentence) {
        Report report = new Report();
        report.run.put("sinkOwnTask", false);
        report.run.put(key, "");
        assertThat(Markdown.render(report)).doesNotContain(absent);

        report.run.put(key, given);
        assertThat(Markdown.render(report)).contains(sentence);
    }
}
