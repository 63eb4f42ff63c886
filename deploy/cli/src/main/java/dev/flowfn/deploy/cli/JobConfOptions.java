package dev.flowfn.deploy.cli;

import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Options of the Flowfn job itself, declared once for {@code local}, {@code submit} and {@code
 * scale}: how often it commits, and any job or Flink option by key.
 */
final class JobConfOptions {

    static final Duration DEFAULT_CHECKPOINT_INTERVAL = Duration.ofSeconds(1);

    @Option(
            names = "--checkpoint-interval",
            paramLabel = "DURATION",
            description =
                    "How often results are committed (exactly-once latency), like 500ms or 2s; default"
                            + " 1s (scale: the job's own)")
    String checkpointInterval;

    @Option(
            names = "--conf",
            paramLabel = "KEY=VALUE",
            description =
                    "A job option (see README, Configuration) or Flink option, e.g. --conf"
                            + " flowfn.metering.window=10s (repeatable; scale: changes or adds one)")
    Map<String, String> conf = new LinkedHashMap<>();

    /**
     * The interval given; empty if none.
     *
     * @throws UsageException if it is not a positive duration
     */
    Optional<Duration> checkpointInterval() {
        if (checkpointInterval == null) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = FunctionSpecRules.parseDuration(checkpointInterval);
        } catch (InvalidSpecException e) {
            throw new UsageException("--checkpoint-interval: " + e.getMessage());
        }
        if (d.isZero() || d.isNegative()) {
            throw new UsageException(
                    "--checkpoint-interval must be positive (got '" + checkpointInterval + "')");
        }
        return Optional.of(d);
    }

    /** The interval given, else {@link #DEFAULT_CHECKPOINT_INTERVAL}. */
    Duration checkpointIntervalOrDefault() {
        return checkpointInterval().orElse(DEFAULT_CHECKPOINT_INTERVAL);
    }

    Map<String, String> conf() {
        return Map.copyOf(conf);
    }
}
