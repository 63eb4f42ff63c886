package dev.flowfn.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.cli.NumberedEvents;
import dev.flowfn.deploy.local.engines.ChildJvm;
import dev.flowfn.deploy.local.engines.FlinkStandaloneCluster;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Flink's reactive mode as {@code flowfn topology --reactive} runs it: the job runs in an
 * application-mode JobManager with one TaskManager of 2 slots, at parallelism 2. While numbered
 * events flow, a second TaskManager is started against the same configuration (as an operator
 * starts one on another machine): the job must rescale to 4 by itself, and every event's result
 * must be committed exactly once, every second's tick of a cron function too, and the metering
 * windows must count as many invocations as there are committed results.
 */
class ReactiveModeIT {

    private static final int EVENTS_PER_SECOND = 50;

    static RunningTopology topology;
    static ChildJvm addedTaskManager;

    @BeforeAll
    static void start() throws Exception {
        topology =
                RunningTopology.start(
                        Path.of("target", "reactive-it").toAbsolutePath(),
                        "--reactive",
                        "--brokers",
                        "1",
                        "--taskmanagers",
                        "1",
                        "--slots",
                        "2",
                        "--connect-workers",
                        "1",
                        "--servers",
                        "1",
                        "--checkpoint-interval",
                        "1s");
    }

    @AfterAll
    static void stop() throws Exception {
        if (addedTaskManager != null) {
            addedTaskManager.close();
        }
        if (topology != null) {
            topology.close();
        }
    }

    @Test
    void addingATaskManagerRaisesTheParallelismWithEveryResultCommittedOnce() throws Exception {
        assertThat(topology.property("flink.mode")).isEqualTo("application, reactive");
        topology.deployUpper(topology.client(0), "upper", "kafka:topic=" + RunningTopology.TOPIC);
        topology.deployUpper(topology.client(0), "ticks", "cron:expr=*/1 * * * * ?,catchup=all");
        int probes = topology.awaitUpperLive();
        // Reactive mode may start the job on the first slot the TaskManager offers; it must take
        // the second one too, after the 10 s executing stabilization timeout and the cooldown after
        // a rescale.
        awaitParallelism(2, Duration.ofMinutes(2), "the job runs on both slots of one TaskManager");

        int produced;
        try (NumberedEvents events =
                NumberedEvents.start(
                        topology.bootstrap, RunningTopology.TOPIC, EVENTS_PER_SECOND)) {
            topology.awaitResults(probes + 200);
            long t = System.nanoTime();
            addedTaskManager =
                    FlinkStandaloneCluster.existing(topology.dir.resolve("flink"))
                            .startTaskManager(2);
            awaitParallelism(
                    4, Duration.ofMinutes(3), "the job rescaled to the 4 slots of 2 TaskManagers");
            double rescaled = (System.nanoTime() - t) / 1e9;
            int before = topology.committedResults().upper().size();
            topology.awaitResults(before + 200);
            System.out.printf(
                    "a second TaskManager: parallelism 2 -> 4 in %.1f s, results flowing after"
                            + " %.1f s%n",
                    rescaled, (System.nanoTime() - t) / 1e9);
            events.close();
            assertThat(events.failure()).as("producer errors").isNull();
            produced = events.acknowledged();
        }

        RunningTopology.Results results = topology.awaitResults(produced + probes);
        assertThat(results.missingOrDuplicated(produced))
                .as("events without exactly one committed result")
                .isEmpty();
        assertThat(results.upper()).hasSize(produced + probes);
        assertThat(results.ticksMissingOrRepeated())
                .as("seconds without exactly one committed tick")
                .isEmpty();
        long metered = topology.awaitMetered("upper", produced + probes);
        assertThat(metered)
                .as("invocations of upper in the metering windows (each succeeded once)")
                .isEqualTo(produced + probes);
        System.out.printf("%d events, each committed once, through a reactive rescale%n", produced);
    }

    private static void awaitParallelism(int expected, Duration within, String what)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        int seen;
        while ((seen = parallelism()) != expected) {
            assertThat(System.nanoTime())
                    .as("%s (parallelism %d after %s)", what, seen, within)
                    .isLessThan(deadline);
            Thread.sleep(500);
        }
    }

    /** The parallelism of the running job's function group (0 while it restarts). */
    private static int parallelism() throws Exception {
        String job = topology.runningJob();
        return topology.functionGroup(job).path("parallelism").asInt();
    }
}
