package dev.flowfn.worker;

import static dev.flowfn.worker.FakeJob.invoke;
import static dev.flowfn.worker.FakeJob.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fns.Hello;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start of the java runtime, measured as the job sees it: from starting the worker JVM (class
 * path: this module and functions-api only, the JVM options the job uses) to its HELLO, and to the
 * RESULT of the first invocation of a fresh version (LOAD and INVOKE sent right after HELLO) of a
 * small handler ({@link Hello}: a log line and a text result). The goal is under 500 ms to the
 * first RESULT; the figures are printed, and the test fails only far beyond it (a busy build
 * machine must not fail it).
 */
class ColdStartIT {

    private static final int RUNS = 5;

    /** As the job starts a worker of a 128 MB function. */
    static final List<String> JOB_JVM_OPTIONS = List.of("-Xmx128m", "-XX:+ExitOnOutOfMemoryError");

    @TempDir Path dir;

    @Test
    void toHelloAndToTheFirstResult() throws Exception {
        Path code = dir.resolve("code");
        TestJars.jar(code.resolve("fn.jar"), Hello.class);
        List<String> options = new ArrayList<>(JOB_JVM_OPTIONS);
        String extra = System.getProperty("flowfn.coldstart.jvm-options", "");
        if (!extra.isBlank()) {
            options.addAll(Arrays.asList(extra.trim().split("\\s+")));
        }
        double[] hello = new double[RUNS];
        double[] result = new double[RUNS];
        double[] loadMs = new double[RUNS];
        double[] cpuMs = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            Path run = Files.createDirectory(dir.resolve("run" + i));
            try (FakeJob job =
                    FakeJob.start(run, Map.of(), options, FakeJob.minimalClassPath(), false)) {
                assertThat(job.next().type()).isEqualTo(MessageType.HELLO);
                hello[i] = job.millisSinceStart();
                job.send(load(1, Hello.class.getName(), code, Map.of()), invoke("first", 1, "x"));
                Frame loaded = job.next();
                assertThat(loaded.type()).as("%s", loaded).isEqualTo(MessageType.LOADED);
                loadMs[i] = (Long) loaded.header().get("loadUs") / 1000.0;
                Frame last = job.untilResults(1).get(1); // LOG, RESULT
                result[i] = job.millisSinceStart();
                assertThat(last.header()).containsEntry("ok", true);
                // CPU time (all threads) up to here: unlike wall time, hardly slowed by a busy host
                cpuMs[i] =
                        job.process()
                                .info()
                                .totalCpuDuration()
                                .map(d -> d.toNanos() / 1e6)
                                .orElse(Double.NaN);
            }
        }
        System.out.printf(
                Locale.ROOT,
                "java worker cold start (%s), %d runs, median [min..max]: HELLO %.0f ms [%.0f..%.0f],"
                        + " first RESULT %.0f ms [%.0f..%.0f], of it LOAD %.0f ms; worker CPU time"
                        + " to the RESULT %.0f ms; load average %.1f on %d cores%n",
                String.join(" ", options),
                RUNS,
                median(hello),
                min(hello),
                max(hello),
                median(result),
                min(result),
                max(result),
                median(loadMs),
                median(cpuMs),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                Runtime.getRuntime().availableProcessors());
        assertThat(median(result)).as("median ms to the first RESULT").isLessThan(5000);
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double min(double[] values) {
        return Arrays.stream(values).min().orElseThrow();
    }

    private static double max(double[] values) {
        return Arrays.stream(values).max().orElseThrow();
    }
}
