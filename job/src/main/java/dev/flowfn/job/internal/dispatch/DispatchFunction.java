package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.code.CodeFetcher;
import dev.flowfn.job.internal.code.CodeLoader;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FlowfnSchemas;
import dev.flowfn.schemas.InvocationRequest;
import io.minio.MinioClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Flink side of dispatch: an async function, so handlers run off the task thread and Flink's
 * async operator checkpoints the invocations in flight (after a restore they run again; their
 * earlier outputs were never committed). Runs inside a {@link DispatchOperator}: the invocations a
 * restore hands back wait until all are in, then start in sequence order.
 */
public final class DispatchFunction extends RichAsyncFunction<InvocationRequest, OutputRecord> {

    static {
        // Flink restores Avro state of this operator before any of our code runs: trust first
        FlowfnSchemas.trustGeneratedClasses();
    }

    private static final Logger LOG = LoggerFactory.getLogger(DispatchFunction.class);

    /** Where code comes from and how loaded code is managed; serializable with the job graph. */
    public record Settings(
            String s3Endpoint,
            String s3AccessKey,
            String s3SecretKey,
            String codeCacheDir,
            Duration idleUnload,
            int maxLogLines,
            KafkaClientConfig kafka)
            implements java.io.Serializable {
        @Override
        public String toString() {
            return "Settings{s3="
                    + s3Endpoint
                    + ", cache="
                    + codeCacheDir
                    + "}"; // never the secret
        }
    }

    private final Settings settings;
    private transient ExecutorService handlers;
    private transient ScheduledExecutorService timers;
    private transient CodeFetcher fetcher;
    private transient CodeLoader loader;
    private transient Dispatcher dispatcher;
    private transient KafkaProducer<byte[], byte[]> progressProducer;
    private transient KafkaEmitTopics emitTopics;

    /** Invocations handed back by a restore, until {@link #restoreHandedBack}; then null. */
    private transient List<Invocation> restored;

    /**
     * The async operator's capacity: Flink waits for a free slot before it hands back the next
     * restored invocation, so holding this many would wait forever (a checkpoint taken with a
     * larger capacity than now). Set by {@link DispatchOperator} when it is made.
     */
    private transient int holdAtMost;

    private record Invocation(InvocationRequest request, ResultFuture<OutputRecord> result) {}

    public DispatchFunction(Settings settings) {
        this.settings = settings;
    }

    @Override
    public void open(OpenContext openContext) {
        FlowfnSchemas.trustGeneratedClasses();
        // outside a DispatchOperator (no capacity set) nothing signals the end of a restore
        restored = holdAtMost > 0 ? new ArrayList<>() : null;
        int subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        handlers = Executors.newCachedThreadPool(daemon("flowfn-handler-" + subtask + "-"));
        ScheduledThreadPoolExecutor timerPool =
                new ScheduledThreadPoolExecutor(1, daemon("flowfn-timer-" + subtask + "-"));
        // every invocation schedules its timeout and cancels it when it completes: without this,
        // cancelled timeouts stay queued (and hold their invocation) until they would have fired
        timerPool.setRemoveOnCancelPolicy(true);
        timers = timerPool;
        MinioClient s3 =
                settings.s3Endpoint() == null
                        ? null
                        : MinioClient.builder()
                                .endpoint(settings.s3Endpoint())
                                .credentials(settings.s3AccessKey(), settings.s3SecretKey())
                                .build();
        fetcher = new CodeFetcher(Path.of(settings.codeCacheDir()), s3);
        loader = new CodeLoader(fetcher, handlers, settings.idleUnload());
        dispatcher =
                new Dispatcher(
                        loader,
                        handlers,
                        timers,
                        settings.maxLogLines(),
                        new FlinkDispatchMetrics(getRuntimeContext().getMetricGroup()),
                        PlatformEnv.s3(
                                settings.s3Endpoint(),
                                settings.s3AccessKey(),
                                settings.s3SecretKey()),
                        progressSink(),
                        emitTopics());
        long sweep = Math.max(1_000, settings.idleUnload().toMillis() / 4);
        timers.scheduleWithFixedDelay(
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

    private EmitTopics emitTopics() {
        if (settings.kafka() == null) {
            return EmitTopics.ANY;
        }
        emitTopics = new KafkaEmitTopics(settings.kafka());
        return emitTopics;
    }

    /**
     * Progress reports go to {@code flowfn.logs} and {@code flowfn.progress} at once, through a
     * plain (non-transactional) producer: read_committed readers see them while the handler still
     * runs.
     */
    private ProgressSink progressSink() {
        if (settings.kafka() == null) {
            return ProgressSink.NONE;
        }
        Map<String, Object> p =
                settings.kafka()
                        .producerProperties(
                                Map.of(
                                        ProducerConfig.ACKS_CONFIG, "1",
                                        ProducerConfig.LINGER_MS_CONFIG, "20",
                                        ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000",
                                        ProducerConfig.CLIENT_ID_CONFIG, "flowfn-progress"));
        progressProducer =
                new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        KafkaProducer<byte[], byte[]> producer = progressProducer;
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
    public void asyncInvoke(InvocationRequest request, ResultFuture<OutputRecord> resultFuture) {
        if (restored != null) {
            restored.add(new Invocation(request, resultFuture));
            if (restored.size() >= holdAtMost) {
                startRestored(); // in order among these; a later one may overtake
                restored = new ArrayList<>();
            }
        } else {
            dispatch(request, resultFuture);
        }
    }

    /** Called by {@link DispatchOperator} before a restore hands invocations back. */
    void holdAtMost(int capacity) {
        holdAtMost = capacity;
    }

    /**
     * Called by {@link DispatchOperator} once a restore has handed back every invocation that was
     * in flight (none without a restore): starts them, each key's in sequence order. Task thread.
     */
    void restoreHandedBack() {
        if (restored != null) {
            startRestored();
            restored = null;
        }
    }

    private void startRestored() {
        if (restored.isEmpty()) {
            return;
        }
        restored.sort(Comparator.comparingLong(i -> i.request().getSequence()));
        LOG.info(
                "restarting {} invocations that were in flight, in sequence order",
                restored.size());
        for (Invocation i : restored) {
            dispatch(i.request(), i.result());
        }
    }

    private void dispatch(InvocationRequest request, ResultFuture<OutputRecord> resultFuture) {
        dispatcher
                .dispatch(request)
                .whenComplete(
                        (outputs, error) -> {
                            if (error == null) {
                                resultFuture.complete(outputs);
                            } else {
                                LOG.error(
                                        "dispatch of {} failed inside the platform",
                                        request.getInvocationId(),
                                        error);
                                resultFuture.complete(
                                        Dispatcher.failure(
                                                request,
                                                0,
                                                FailureKind.PLATFORM_ERROR,
                                                Failures.platform(error)));
                            }
                        });
    }

    @Override
    public void timeout(InvocationRequest request, ResultFuture<OutputRecord> resultFuture) {
        resultFuture.complete(
                List.copyOf(
                        Dispatcher.failure(
                                request,
                                0,
                                FailureKind.TIMEOUT,
                                "invocation waited longer than the dispatch limit (queue plus all attempts); lower the load or raise the function's concurrency")));
    }

    @Override
    public void close() throws Exception {
        if (handlers != null) {
            handlers.shutdownNow();
            timers.shutdownNow();
            fetcher.close();
        }
        if (progressProducer != null) {
            progressProducer.close(Duration.ofSeconds(2));
        }
        if (emitTopics != null) {
            emitTopics.close();
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
