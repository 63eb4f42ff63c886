package dev.flowfn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run measured: per scenario, rows of figure, baseline (measured in the same run), their
 * ratio and the goal. Written as {@code latest.json} (everything) and {@code latest.md} (the
 * table). Filled by the scenarios on the harness thread.
 */
public final class Report {

    /** One measured figure beside its baseline. {@code met} is null where no goal applies. */
    public record Row(
            String name,
            double figure,
            double baseline,
            String unit,
            String baselineWhat,
            String goal,
            Boolean met,
            Map<String, Object> details,
            String note,
            String figureExtra,
            String baselineExtra) {

        public Row(
                String name,
                double figure,
                double baseline,
                String unit,
                String baselineWhat,
                String goal,
                Boolean met,
                Map<String, Object> details,
                String note) {
            this(name, figure, baseline, unit, baselineWhat, goal, met, details, note, null, null);
        }

        /** figure / baseline; NaN when the baseline is 0. */
        public double ratio() {
            return baseline == 0 ? Double.NaN : figure / baseline;
        }
    }

    /** One scenario of the report. */
    public static final class Scenario {
        final int number;
        final String title;
        final List<Row> rows = new ArrayList<>();
        final List<String> notes = new ArrayList<>();
        String error;
        double seconds;
        String runtime;

        Scenario(int number, String title) {
            this.number = number;
            this.title = title;
        }

        public Scenario row(Row row) {
            rows.add(row);
            return this;
        }

        public Scenario note(String note) {
            notes.add(note);
            return this;
        }

        /**
         * Which runtime the scenario's functions run in, and how that was chosen (the report says
         * it per scenario since runtimes differ in speed: {@code java}, the spec's default, runs
         * each handler in a worker JVM).
         */
        public Scenario runtime(String runtime) {
            this.runtime = runtime;
            return this;
        }
    }

    private final Map<Integer, Scenario> scenarios = new LinkedHashMap<>();
    final Map<String, Object> run = new LinkedHashMap<>();

    /**
     * The scenario {@code number}, created on first use (a scenario may be filled in two phases).
     */
    public Scenario scenario(int number, String title) {
        return scenarios.computeIfAbsent(number, n -> new Scenario(n, title));
    }

    List<Scenario> scenarios() {
        return scenarios.values().stream()
                .sorted((a, b) -> Integer.compare(a.number, b.number))
                .toList();
    }

    void writeJson(Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("run", run);
        List<Object> list = new ArrayList<>();
        for (Scenario s : scenarios()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", s.number);
            m.put("title", s.title);
            m.put("seconds", Math.round(s.seconds * 10) / 10.0);
            if (s.error != null) {
                m.put("error", s.error);
            }
            if (s.runtime != null) {
                m.put("runtime", s.runtime);
            }
            List<Object> rows = new ArrayList<>();
            for (Row r : s.rows) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("name", r.name());
                row.put("figure", number(r.figure()));
                row.put("baseline", number(r.baseline()));
                row.put("ratio", number(r.ratio()));
                row.put("unit", r.unit());
                row.put("baselineIs", r.baselineWhat());
                row.put("goal", r.goal());
                row.put("goalMet", r.met());
                if (r.note() != null) {
                    row.put("note", r.note());
                }
                row.put("details", r.details());
                rows.add(row);
            }
            m.put("rows", rows);
            if (!s.notes.isEmpty()) {
                m.put("notes", s.notes);
            }
            list.add(m);
        }
        root.put("scenarios", list);
        Files.createDirectories(file.toAbsolutePath().getParent());
        new ObjectMapper()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(file.toFile(), root);
    }

    /** JSON has no NaN: a missing ratio is null. */
    private static Object number(double v) {
        return Double.isFinite(v) ? round(v) : null;
    }

    private static double round(double v) {
        double abs = Math.abs(v);
        double scale = abs >= 1000 ? 1 : abs >= 1 ? 1000 : 1_000_000;
        return Math.round(v * scale) / scale;
    }

    void writeMarkdown(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, Markdown.render(this));
    }
}
