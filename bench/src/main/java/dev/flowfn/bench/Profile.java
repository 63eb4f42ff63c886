package dev.flowfn.bench;

import java.time.Duration;
import java.util.List;

/**
 * How long and how big each scenario runs. {@link #FULL} is the run whose table is committed (about
 * 20 minutes on 2 cores); {@link #QUICK} runs every scenario briefly so the harness itself is
 * tested (its figures are not meant to be read).
 */
public record Profile(
        String name,
        Duration checkpointInterval,
        // 1 and 2: throughput
        long backlog,
        Duration throughputWarmup,
        Duration throughputMeasure,
        int throughputRounds,
        boolean warmupJob,
        int manyFunctions,
        // 1, the handler with 50 µs of work per event: its own, smaller backlog
        long spinBacklog,
        // 3: slow neighbour
        int fastRate,
        Duration neighbourAlone,
        Duration neighbourWith,
        // 4: latency
        List<Integer> latencyRates,
        Duration latencyWarmup,
        Duration latencyMeasure,
        // 5: cold start
        long bigJarBytes,
        int warmInvocations,
        Duration localIdleUnload,
        // 6: JMH
        int jmhForks,
        int jmhIterations,
        Duration jmhIteration,
        // 7: memory
        int idleFunctions,
        Duration idleUnload,
        Duration idleSettle,
        // 9: checkpoint size after events with unique keys
        long stateEvents,
        // 10: alias moves under steady traffic
        int aliasMoves,
        // 11: runtimes; the java-embedded throughput rounds use the backlog of 1
        long workerBacklog,
        int coldStarts,
        int warmCalls,
        // 11: the runtime protocol alone (a worker and the job's connection to it), per round
        Duration roundTripMeasure,
        // 11: throughput rounds per runtime, more than scenario 1's: see RuntimesScenario
        int runtimeRounds) {

    public static final Profile FULL =
            new Profile(
                    "full",
                    Duration.ofSeconds(1),
                    2_000_000,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(12),
                    2,
                    true,
                    100,
                    500_000,
                    1000,
                    Duration.ofSeconds(8),
                    Duration.ofSeconds(12),
                    List.of(1_000, 10_000),
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(10),
                    30L * 1024 * 1024,
                    5,
                    Duration.ofSeconds(4),
                    1,
                    5,
                    Duration.ofSeconds(1),
                    1000,
                    Duration.ofSeconds(15),
                    Duration.ofSeconds(10),
                    1_000_000,
                    20,
                    1_000_000,
                    5,
                    5,
                    Duration.ofSeconds(3),
                    4);

    public static final Profile QUICK =
            new Profile(
                    "quick",
                    Duration.ofSeconds(1),
                    30_000,
                    Duration.ofMillis(500),
                    Duration.ofMillis(1500),
                    1,
                    false,
                    20,
                    20_000,
                    1000,
                    Duration.ofSeconds(2),
                    Duration.ofSeconds(3),
                    List.of(1_000, 10_000),
                    Duration.ofMillis(500),
                    Duration.ofSeconds(2),
                    30L * 1024 * 1024,
                    1,
                    Duration.ofSeconds(2),
                    0,
                    1,
                    Duration.ofMillis(300),
                    25,
                    Duration.ofSeconds(3),
                    Duration.ofSeconds(1),
                    50_000,
                    3,
                    10_000,
                    1,
                    2,
                    Duration.ofMillis(500),
                    1);
}
