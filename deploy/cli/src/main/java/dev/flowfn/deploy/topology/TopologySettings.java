package dev.flowfn.deploy.topology;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * What {@link Topology} starts: how many of each process, where their data and logs go, and the
 * job's parallelism and checkpoint interval when it submits the job.
 *
 * @param flinkConfig lines added to the Flink cluster's config.yaml (Flink's and the job's options)
 * @param reactive run the job in an application-mode JobManager with Flink's reactive mode: its
 *     parallelism follows the task slots the TaskManagers offer; else a session cluster
 * @param submit whether to submit the Flowfn job and install the trigger connectors once the
 *     processes run
 */
public record TopologySettings(
        Path dir,
        int brokers,
        int taskManagers,
        int slotsPerTaskManager,
        int connectWorkers,
        int servers,
        int parallelism,
        Duration checkpointInterval,
        Map<String, String> flinkConfig,
        boolean reactive,
        boolean submit) {

    public TopologySettings {
        flinkConfig = Map.copyOf(flinkConfig);
        requirePositive("brokers", brokers);
        requirePositive("task managers", taskManagers);
        requirePositive("slots per task manager", slotsPerTaskManager);
        requirePositive("connect workers", connectWorkers);
        requirePositive("servers", servers);
        requirePositive("parallelism", parallelism);
        if (submit && !reactive && parallelism > taskManagers * slotsPerTaskManager) {
            throw new IllegalArgumentException(
                    "parallelism %d needs %d slots; %d TaskManagers of %d slots offer %d"
                            .formatted(
                                    parallelism,
                                    parallelism,
                                    taskManagers,
                                    slotsPerTaskManager,
                                    taskManagers * slotsPerTaskManager));
        }
    }

    private static void requirePositive(String what, int n) {
        if (n < 1) {
            throw new IllegalArgumentException(what + " must be at least 1 (got " + n + ")");
        }
    }
}
