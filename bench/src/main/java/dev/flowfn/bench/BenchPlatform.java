package dev.flowfn.bench;

import dev.flowfn.bench.infra.BenchFlink;
import dev.flowfn.bench.infra.BenchKafka;
import dev.flowfn.bench.infra.Functions;
import dev.flowfn.job.JobOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;

/**
 * What the in-JVM scenarios (1-4, 7's heap) share: the Kafka broker (child JVM), the MiniCluster,
 * the function deployer, and a counter that keeps every job's consumer group and topics apart. Used
 * by the harness thread only.
 */
public final class BenchPlatform implements AutoCloseable {

    final Profile profile;
    final Path dir;
    final BenchKafka kafka;
    final BenchFlink flink;
    final Functions functions;
    private int jobs;

    private BenchPlatform(
            Profile profile, Path dir, BenchKafka kafka, BenchFlink flink, Functions functions) {
        this.profile = profile;
        this.dir = dir;
        this.kafka = kafka;
        this.flink = flink;
        this.functions = functions;
    }

    static BenchPlatform start(Profile profile, Path dir) throws Exception {
        BenchKafka kafka = BenchKafka.start(dir);
        BenchFlink flink = null;
        try {
            flink = BenchFlink.start(dir.resolve("checkpoints"), profile.checkpointInterval());
            return new BenchPlatform(
                    profile, dir, kafka, flink, new Functions(kafka, dir.resolve("code")));
        } catch (Exception e) {
            if (flink != null) {
                flink.close();
            }
            kafka.close();
            throw e;
        }
    }

    /** A fresh name for this run's topics and groups. */
    String unique(String prefix) {
        return prefix + "-" + (++jobs);
    }

    /**
     * Starts the Flowfn job reading {@code flowfn.events}, the probe topic and {@code topics} (a
     * regex), as a fresh job (own consumer group, no state), and waits until it has the registry.
     * The sink's transactional-id prefix is the same for every Flowfn job of the run, so a job
     * aborts what a cancelled predecessor left open.
     */
    JobID startFlowfn(String topics, Consumer<Configuration> more) throws Exception {
        Configuration conf =
                flink.jobConfiguration(
                        c -> {
                            JobOptions.setKafkaClientConfig(c, kafka.client());
                            c.set(
                                    JobOptions.TRIGGER_TOPIC_PATTERN,
                                    "flowfn\\.events|"
                                            + Pattern.quote(Functions.PROBE_TOPIC)
                                            + "|"
                                            + topics);
                            c.set(JobOptions.CONSUMER_GROUP, unique("bench-flowfn"));
                            c.set(JobOptions.TRANSACTIONAL_ID_PREFIX, "bench-flowfn");
                            c.set(JobOptions.TRANSACTION_TIMEOUT, Duration.ofMinutes(2));
                            c.set(JobOptions.CODE_CACHE_DIR, dir.resolve("code-cache").toString());
                            more.accept(c);
                        });
        JobID job = flink.submitFlowfn(conf);
        try {
            functions.awaitReady(Duration.ofSeconds(60));
        } catch (Exception e) {
            flink.cancel(job);
            throw e;
        }
        return job;
    }

    JobID startFlowfn(String topics) throws Exception {
        return startFlowfn(topics, c -> {});
    }

    Runnable alive(JobID job) {
        return () -> {
            try {
                flink.checkRunning(job);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Override
    public void close() throws Exception {
        try {
            functions.close();
            flink.close();
        } finally {
            kafka.close();
        }
    }
}
