package dev.flowfn.bench;

import dev.flowfn.bench.infra.FlowfnLocalProcess;
import java.util.Locale;
import java.util.Map;

/** The report as a Markdown table: each figure beside its baseline, the ratio and the goal. */
final class Markdown {

    static String render(Report report) {
        StringBuilder md = new StringBuilder();
        md.append("# Flowfn benchmarks\n\n");
        Map<String, Object> run = report.run;
        md.append("Run ")
                .append(run.get("started"))
                .append(", mode `")
                .append(run.get("mode"))
                .append("`, ")
                .append(run.get("cores"))
                .append(" cores, load average ")
                .append(run.get("loadAverageBefore"))
                .append(" when it started (")
                .append(run.get("loadAverageAfter"))
                .append(" at its end, its own load included), ")
                .append(run.get("seconds"))
                .append(" s in all. ")
                .append(run.get("java"))
                .append(".\n\n");
        md.append("Checkpoint interval ")
                .append(run.get("checkpointIntervalMs"))
                .append(" ms, parallelism ")
                .append(run.get("parallelism"))
                .append(", ")
                .append(run.get("eventBytes"))
                .append("-byte events, exactly-once unless said. Flowfn's results sink runs ")
                .append(
                        Boolean.FALSE.equals(run.get("sinkOwnTask"))
                                ? "chained to the function group"
                                : "in a task of its own")
                .append(" (`flowfn.kafka.sink-own-task`).");
        localExtras(
                md, run.get("localJavaOptions"), "JVM options", FlowfnLocalProcess.EXTRA_OPTIONS);
        localExtras(md, run.get("localArgs"), "arguments", FlowfnLocalProcess.EXTRA_ARGS);
        md.append(" Every baseline was measured in this run;")
                .append(" ratio = figure / baseline. Full details: `latest.json`.\n\n");
        if (run.get("incomplete") instanceof java.util.List<?> problems) {
            md.append("**Incomplete report** (the run failed): ")
                    .append(
                            cell(
                                    String.join(
                                            "; ", problems.stream().map(String::valueOf).toList())))
                    .append(".\n\n");
        }
        md.append("| # | Scenario | Figure | Baseline | Ratio | Goal | Met |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Report.Scenario s : report.scenarios()) {
            if (s.error != null) {
                md.append("| ")
                        .append(s.number)
                        .append(" | ")
                        .append(s.title)
                        .append(" | **failed**: ")
                        .append(cell(s.error))
                        .append(" | | | | |\n");
            }
            for (Report.Row r : s.rows) {
                md.append("| ")
                        .append(s.number)
                        .append(" | ")
                        .append(cell(r.name()))
                        .append(" | ")
                        .append(format(r.figure(), r.unit()))
                        .append(extra(r.figureExtra()))
                        .append(" | ")
                        .append(format(r.baseline(), r.unit()))
                        .append(extra(r.baselineExtra()))
                        .append("; ")
                        .append(cell(r.baselineWhat()))
                        .append(" | ")
                        .append(ratio(r.ratio()))
                        .append(" | ")
                        .append(cell(r.goal()))
                        .append(" | ")
                        .append(r.met() == null ? "–" : r.met() ? "yes" : "**no**")
                        .append(" |\n");
            }
        }
        md.append("\n## Notes\n\n");
        for (Report.Scenario s : report.scenarios()) {
            if (s.runtime != null) {
                md.append("- ")
                        .append(s.number)
                        .append(": runtime ")
                        .append(s.runtime)
                        .append('\n');
            }
            for (Report.Row r : s.rows) {
                if (r.note() != null) {
                    md.append("- ")
                            .append(s.number)
                            .append(", ")
                            .append(r.name())
                            .append(": ")
                            .append(r.note())
                            .append('\n');
                }
            }
            for (String note : s.notes) {
                md.append("- ").append(s.number).append(": ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    static String format(double v, String unit) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        String number;
        double abs = Math.abs(v);
        if (abs >= 1000) {
            number = String.format(Locale.ROOT, "%,.0f", v);
        } else if (abs >= 100) {
            number = String.format(Locale.ROOT, "%.0f", v);
        } else if (abs >= 10) {
            number = String.format(Locale.ROOT, "%.1f", v);
        } else {
            number = String.format(Locale.ROOT, "%.2f", v);
        }
        return number + " " + unit;
    }

    private static String extra(String text) {
        return text == null ? "" : " (" + cell(text) + ")";
    }

    private static String ratio(double r) {
        return Double.isFinite(r) ? String.format(Locale.ROOT, "%.2fx", r) : "n/a";
    }

    private static String cell(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    private Markdown() {}

    /**
     * Names what {@code variable} added to {@code flowfn local}'s command, if it added anything.
     */
    private static void localExtras(StringBuilder md, Object given, String what, String variable) {
        if (given instanceof String extras && !extras.isEmpty()) {
            md.append(" `flowfn local` ran with the extra ")
                    .append(what)
                    .append(" `")
                    .append(extras)
                    .append("` (")
                    .append(variable)
                    .append(").");
        }
    }
}
