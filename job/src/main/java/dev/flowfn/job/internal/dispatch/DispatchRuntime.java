package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.code.CodeFetcher;
import dev.flowfn.job.internal.code.CodeLoader;
import dev.flowfn.job.runtime.RemoteFunctions;
import dev.flowfn.job.runtime.SharedWorkerPools;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.kafka.KafkaClientConfig;
import io.minio.MinioClient;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What running functions needs in one parallel instance of the job, outside Flink's state: handler
 * threads, one scheduler thread (watchdog ticks, idle unloads), the code loader, and the plain
 * producers for progress reports and emit-topic checks. Made when the operator opens, closed when
 * it closes.
 */
public final class DispatchRuntime implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DispatchRuntime.class);

    /** Where code comes from and how loaded code is managed; serializable with the job graph. */
    public record Settings(
            String s3Endpoint,
            String s3AccessKey,
            String s3SecretKey,
            String codeCacheDir,
            Duration idleUnload,
            int maxLogLines,
            KafkaClientConfig kafka,
            WorkerPool.Settings workers)
            implements Serializable {
        @Override
        public String toString() {
            return "Settings{s3="
                    + s3Endpoint
                    + ", cache="
                    + codeCacheDir
                    + "}"; // never the secret
        }
    }

    final ExecutorService handlers;
    final ScheduledExecutorService scheduler;
    final CodeLoader loader;
    final Map<String, String> platformEnv;
    final ProgressSink progress;
    final EmitTopics emitTopics;
    final DispatchMetrics metrics;
    final int maxLogLines;
    final Replies replies = Replies.acquire();
    final CodeFetcher fetcher;

    /** How functions of the {@code http} runtime are reached. */
    final RemoteFunctions remote = new RemoteFunctions();

    /** This TaskManager's worker processes; null when the job runs no worker runtimes. */
    final WorkerPool workers;

    private final KafkaProducer<byte[], byte[]> progressProducer;
    private final KafkaEmitTopics kafkaEmitTopics;

    public DispatchRuntime(Settings settings, String name, DispatchMetrics metrics) {
        this.metrics = metrics;
        this.maxLogLines = settings.maxLogLines();
        handlers = Executors.newCachedThreadPool(daemon("flowfn-handler-" + name + "-"));
        ScheduledThreadPoolExecutor timers =
                new ScheduledThreadPoolExecutor(1, daemon("flowfn-watchdog-" + name + "-"));
        timers.setRemoveOnCancelPolicy(true);
        scheduler = timers;
        MinioClient s3 =
                settings.s3Endpoint() == null
                        ? null
                        : MinioClient.builder()
                                .endpoint(settings.s3Endpoint())
                                .credentials(settings.s3AccessKey(), settings.s3SecretKey())
                                .build();
        fetcher = new CodeFetcher(Path.of(settings.codeCacheDir()), s3);
        loader = new CodeLoader(fetcher, handlers, settings.idleUnload());
        workers = settings.workers() == null ? null : SharedWorkerPools.acquire(settings.workers());
        platformEnv =
                PlatformEnv.s3(
                        settings.s3Endpoint(), settings.s3AccessKey(), settings.s3SecretKey());
        if (settings.kafka() == null) {
            progressProducer = null;
            progress = ProgressSink.NONE;
            kafkaEmitTopics = null;
            emitTopics = EmitTopics.ANY;
        } else {
            progressProducer = progressProducer(settings.kafka());
            progress = progressSink(progressProducer);
            kafkaEmitTopics = new KafkaEmitTopics(settings.kafka());
            emitTopics = kafkaEmitTopics;
        }
        long sweep = Math.max(1_000, settings.idleUnload().toMillis() / 4);
        scheduler.scheduleWithFixedDelay(
                () -> {
                    int n = loader.unloadIdle();
                    if (n > 0) {
                        LOG.info("unloaded {} idle function versions", n);
                    }
                },
                sweep,
                sweep,
                TimeUnit.MILLISECONDS);
    }

    private static KafkaProducer<byte[], byte[]> progressProducer(KafkaClientConfig kafka) {
        Map<String, Object> p =
                kafka.producerProperties(
                        Map.of(
                                ProducerConfig.ACKS_CONFIG, "1",
                                ProducerConfig.LINGER_MS_CONFIG, "20",
                                ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000",
                                ProducerConfig.CLIENT_ID_CONFIG, "flowfn-progress"));
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    /**
     * Progress reports go to {@code flowfn.logs} and {@code flowfn.progress} at once, through a
     * plain (non-transactional) producer: read_committed readers see them while the handler still
     * runs.
     */
    private static ProgressSink progressSink(KafkaProducer<byte[], byte[]> producer) {
        return report -> {
            try {
                // the line on flowfn.logs, and the latest report on flowfn.progress
                for (OutputRecord r :
                        List.of(OutputRecords.log(report), OutputRecords.progress(report))) {
                    producer.send(
                            new ProducerRecord<>(r.topic, r.key, r.value),
                            (meta, error) -> {
                                if (error != null) {
                                    LOG.warn(
                                            "progress of {} not published to {}: {}",
                                            report.getInvocationId(),
                                            r.topic,
                                            error.toString());
                                }
                            });
                }
            } catch (RuntimeException e) { // never fail a handler for its telemetry
                LOG.warn(
                        "progress of {} not published: {}", report.getInvocationId(), e.toString());
            }
        };
    }

    @Override
    public void close() {
        remote.close();
        Replies.release(replies);
        if (workers != null) {
            SharedWorkerPools.release(workers);
        }
        handlers.shutdownNow();
        scheduler.shutdownNow();
        try {
            fetcher.close();
        } catch (Exception e) {
            LOG.warn("closing the code fetcher: {}", e.toString());
        }
        if (progressProducer != null) {
            progressProducer.close(Duration.ofSeconds(2));
        }
        if (kafkaEmitTopics != null) {
            kafkaEmitTopics.close();
        }
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
