package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.flowfn.job.testfns.Busy;
import dev.flowfn.schemas.FunctionSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * When a function measured fast leaves the task thread: when a run of it takes long by its own
 * doing (computing, sleeping), not when the scheduler gave the task thread's core to another
 * process meanwhile ({@code dev.flowfn.worker.OwnTime}). The test thread is the task thread.
 */
class FunctionGroupInlineTest extends FunctionGroupHarness {

    @Test
    void aRunThatSleepsPastTheLimitSendsItsFunctionBackToItsLane() throws Exception {
        FunctionSpec busy = promoted();

        assertThat(submit(busy, "sleep:5")).as("it ran inline").isTrue();

        assertThat(submit(busy, "spin:20")).as("the next runs in its lane").isFalse();
    }

    @Test
    void aRunThatComputesPastTheLimitSendsItsFunctionBackToItsLane() throws Exception {
        FunctionSpec busy = promoted();

        assertThat(submit(busy, "spin:20000")).as("it ran inline").isTrue();

        assertThat(submit(busy, "spin:20")).as("the next runs in its lane").isFalse();
    }

    @Test
    void aFastFunctionStaysInlineWhileAnotherProcessTakesTurnsOnItsCore() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/schedstat")), "Linux schedstat");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/taskset")), "taskset (util-linux)");
        FunctionSpec busy = promoted();
        int cpus = Runtime.getRuntime().availableProcessors();
        String cpu = Integer.toString(cpus - 1);
        String tid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
        Process rival =
                new ProcessBuilder("taskset", "-c", cpu, "sh", "-c", "while :; do :; done")
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        int demoted = 0;
        int before = billed.size();
        try {
            run("taskset", "-pc", cpu, tid); // the task thread and the rival share one core
            boolean inline = true;
            for (int i = 0; i < 3_000; i++) {
                boolean now = submit(busy, "spin:50");
                if (inline && !now) {
                    demoted++;
                }
                inline = now;
            }
        } finally {
            rival.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            run("taskset", "-pc", "0-" + (cpus - 1), tid);
        }
        long cutOff =
                billed.subList(before, billed.size()).stream()
                        .filter(ms -> ms > InlinePolicy.SLOW_MICROS / 1_000)
                        .count();
        assertThat(cutOff)
                .as("runs whose wall time passed the limit (too few: the test proves nothing)")
                .isGreaterThanOrEqualTo(10);
        // judged by wall time, each of those would send it to its lane; a few may still, where
        // the core was taken without the thread waiting in a run queue (OwnTime)
        assertThat(demoted)
                .as("times it left the task thread, with %d runs cut off", cutOff)
                .isLessThanOrEqualTo((int) cutOff / 5);
    }

    /** A Busy function, run until it runs inline. */
    private FunctionSpec promoted() throws Exception {
        FunctionSpec busy = spec("busy", Busy.class, 60_000, 4, Map.of(), 1);
        for (int i = 0; i < 2_000; i++) {
            if (submit(busy, "spin:20")) {
                return busy;
            }
        }
        throw new AssertionError("never ran inline after 2,000 fast runs");
    }

    private int sent;

    /** Submits one event of a key of its own; whether it ran inline (its result is out at once). */
    private boolean submit(FunctionSpec spec, String what) throws Exception {
        int before = out.size();
        sent++;
        group.submit(invocation(spec, "k" + sent, what));
        boolean inline = out.size() > before;
        runUntilIdle(Duration.ofSeconds(30));
        return inline;
    }

    private static void run(String... command) throws Exception {
        Process p =
                new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
        assertThat(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0)
                .as(String.join(" ", command))
                .isTrue();
    }
}
