package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.code.CodeLoadException;
import dev.flowfn.job.internal.code.CodeLoader;
import dev.flowfn.job.internal.code.LoadedFunction;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.InvocationRequest;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.LogRecord;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs invocations: loads the function version, runs its handler on a handler thread with the
 * function's concurrency limit and timeout, retries per its policy, and turns the outcome into
 * output records (result, emitted events, logs; a dead letter on failure).
 *
 * <p>Threads: {@link #dispatch} is called from the Flink task thread and returns at once; handlers
 * run on {@code handlers}; timeouts and retry back-offs fire on {@code timers}. The returned future
 * completes on one of those threads and never exceptionally for a handler's failure. Events of the
 * same function and partition key run one at a time, in order.
 */
public final class Dispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    private final CodeLoader loader;
    private final ExecutorService handlers;
    private final ScheduledExecutorService timers;
    private final int maxLogLines;
    private final Map<String, String> platformEnv;
    private final DispatchMetrics metrics;
    private final ProgressSink progress;
    private final EmitTopics emitTopics;
    private final Map<String, FunctionLane> lanes = new ConcurrentHashMap<>();
    private final KeyedSequencer sequencer = new KeyedSequencer();

    public Dispatcher(
            CodeLoader loader,
            ExecutorService handlers,
            ScheduledExecutorService timers,
            int maxLogLines,
            DispatchMetrics metrics) {
        this(
                loader,
                handlers,
                timers,
                maxLogLines,
                metrics,
                Map.of(),
                ProgressSink.NONE,
                EmitTopics.ANY);
    }

    /**
     * @param platformEnv variables every handler sees in {@code context.env()} (the platform's S3
     *     endpoint and keys, {@link PlatformEnv}); a function's own {@code --env} of the same name
     *     wins
     * @param progress where progress reports go while handlers run
     * @param emitTopics whether the topics a handler emitted to can be written to; an attempt whose
     *     records cannot fails with BAD_RESULT instead of failing the sink
     */
    Dispatcher(
            CodeLoader loader,
            ExecutorService handlers,
            ScheduledExecutorService timers,
            int maxLogLines,
            DispatchMetrics metrics,
            Map<String, String> platformEnv,
            ProgressSink progress,
            EmitTopics emitTopics) {
        this.platformEnv = Map.copyOf(platformEnv);
        this.progress = progress;
        this.emitTopics = emitTopics;
        this.loader = loader;
        this.handlers = handlers;
        this.timers = timers;
        this.maxLogLines = maxLogLines;
        this.metrics = metrics;
    }

    public CompletableFuture<List<OutputRecord>> dispatch(InvocationRequest request) {
        String key = request.getSpec().getName() + '\u0000' + request.getPartitionKey();
        return sequencer.submit(key, () -> run(request));
    }

    private CompletableFuture<List<OutputRecord>> run(InvocationRequest request) {
        return loader.load(request.getSpec())
                .handle(
                        (fn, error) ->
                                error == null
                                        ? attempt(
                                                fn,
                                                request,
                                                1,
                                                new ArrayList<>(),
                                                new ArrayList<>())
                                        : CompletableFuture.completedFuture(
                                                codeLoadFailure(request, unwrap(error))))
                .thenCompose(f -> f);
    }

    private CompletableFuture<List<OutputRecord>> attempt(
            LoadedFunction fn,
            InvocationRequest request,
            int attempt,
            List<LogRecord> logs,
            List<InvocationRecord> metered) {
        FunctionSpec spec = request.getSpec();
        return runOnce(fn, request, attempt)
                .thenCompose(
                        outcome -> {
                            logs.addAll(outcome.logs());
                            boolean last =
                                    outcome.succeeded()
                                            || attempt >= spec.getRetry().getMaxAttempts();
                            metered.add(
                                    meter(request, attempt, outcome, last && !outcome.succeeded()));
                            if (last) {
                                if (!outcome.succeeded()) {
                                    metrics.deadLettered(spec.getName());
                                }
                                return CompletableFuture.completedFuture(
                                        finish(request, attempt, outcome, logs, metered));
                            }
                            metrics.retried(spec.getName());
                            CompletableFuture<List<OutputRecord>> next = new CompletableFuture<>();
                            long backoff =
                                    Math.min(
                                            MAX_BACKOFF_MILLIS,
                                            spec.getRetry().getBackoffMs()
                                                    << Math.min(attempt - 1, 20));
                            timers.schedule(
                                    () ->
                                            attempt(fn, request, attempt + 1, logs, metered)
                                                    .whenComplete(
                                                            (r, e) -> {
                                                                if (e != null) {
                                                                    next.completeExceptionally(e);
                                                                } else {
                                                                    next.complete(r);
                                                                }
                                                            }),
                                    backoff,
                                    TimeUnit.MILLISECONDS);
                            return next;
                        });
    }

    /** One attempt, within the function's lane: handler thread plus a timeout timer. */
    private CompletableFuture<AttemptOutcome> runOnce(
            LoadedFunction fn, InvocationRequest request, int attempt) {
        FunctionSpec spec = request.getSpec();
        FunctionLane lane =
                lanes.computeIfAbsent(
                        spec.getName() + "@" + spec.getVersion(),
                        k -> new FunctionLane(spec.getMaxConcurrency()));
        CompletableFuture<AttemptOutcome> done = new CompletableFuture<>();
        long queuedNanos = System.nanoTime();
        lane.submit(
                () -> {
                    metrics.started(spec.getName(), (System.nanoTime() - queuedNanos) / 1000);
                    long timeoutMs = spec.getTimeoutMs();
                    InvocationContext ctx =
                            new InvocationContext(
                                    spec,
                                    request.getInvocationId(),
                                    attempt,
                                    Instant.now().plusMillis(timeoutMs),
                                    maxLogLines,
                                    platformEnv,
                                    progress);
                    long startNanos = System.nanoTime();
                    long startMicros = epochMicros();
                    fn.enter();
                    Future<?> running =
                            handlers.submit(
                                    () ->
                                            runHandler(
                                                    fn.handler(),
                                                    fn.classLoader(),
                                                    request,
                                                    ctx,
                                                    emitTopics,
                                                    startNanos,
                                                    startMicros,
                                                    done));
                    ScheduledFuture<?> timer =
                            timers.schedule(
                                    () -> {
                                        if (done.complete(
                                                AttemptOutcome.failed(
                                                        FailureKind.TIMEOUT,
                                                        "handler ran past its timeout of "
                                                                + Duration.ofMillis(timeoutMs)
                                                                        .toString()
                                                                        .substring(2)
                                                                        .toLowerCase()
                                                                + "; raise --timeout or make the handler faster",
                                                        startMicros,
                                                        micros(startNanos),
                                                        ctx))) {
                                            running.cancel(true);
                                        }
                                    },
                                    timeoutMs,
                                    TimeUnit.MILLISECONDS);
                    done.whenComplete(
                            (o, e) -> {
                                metrics.finished(
                                        spec.getName(),
                                        o == null ? 0 : o.durationMicros(),
                                        o != null && o.succeeded());
                                timer.cancel(false);
                                fn.exit();
                                lane.release();
                            });
                });
        return done;
    }

    /**
     * Runs one attempt on this (handler) thread and completes {@code done}: what the handler threw
     * is a HANDLER_ERROR; what the platform's code around it threw is a PLATFORM_ERROR.
     */
    static void runHandler(
            Handler handler,
            ClassLoader code,
            InvocationRequest request,
            InvocationContext ctx,
            EmitTopics emitTopics,
            long startNanos,
            long startMicros,
            CompletableFuture<AttemptOutcome> done) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(code);
        try {
            EventView event = new EventView(request.getEvent());
            Result result;
            try {
                result = handler.handle(event, ctx);
            } catch (Throwable e) { // only what the handler threw is the function's failure
                done.complete(
                        AttemptOutcome.failed(
                                FailureKind.HANDLER_ERROR,
                                "handler threw " + Failures.describe(e),
                                startMicros,
                                micros(startNanos),
                                ctx));
                return;
            }
            long duration = micros(startNanos);
            String badResult =
                    result == null
                            ? "handler returned null; return Result.empty() when there is nothing to return"
                            : emitTopics.problem(ctx.emittedTopics()).orElse(null);
            done.complete(
                    badResult != null
                            ? AttemptOutcome.failed(
                                    FailureKind.BAD_RESULT, badResult, startMicros, duration, ctx)
                            : AttemptOutcome.ok(result, startMicros, duration, ctx));
        } catch (Throwable e) { // the platform's own code around the handler
            LOG.error("platform error around the handler of {}", request.getInvocationId(), e);
            done.complete(
                    AttemptOutcome.platformError(
                            Failures.platform(e), startMicros, micros(startNanos), ctx));
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** What one attempt costs: billed milliseconds are the duration rounded up, at least 1. */
    static InvocationRecord meter(
            InvocationRequest request, int attempt, AttemptOutcome outcome, boolean deadLettered) {
        long micros = outcome.durationMicros();
        return InvocationRecord.newBuilder()
                .setInvocationId(request.getInvocationId())
                .setFunction(request.getSpec().getName())
                .setVersion(request.getSpec().getVersion())
                .setAttempt(attempt)
                .setStartMicros(outcome.startMicros())
                .setEndMicros(outcome.startMicros() + micros)
                .setDurationMicros(micros)
                .setBilledMs(Math.max(1, (micros + 999) / 1000))
                .setMemoryMb(request.getSpec().getMemoryMb())
                .setSuccess(outcome.succeeded())
                .setFailureKind(outcome.failure())
                .setDeadLettered(deadLettered)
                .build();
    }

    private static List<OutputRecord> finish(
            InvocationRequest request,
            int attempts,
            AttemptOutcome outcome,
            List<LogRecord> logs,
            List<InvocationRecord> metered) {
        List<OutputRecord> out =
                new ArrayList<>(2 + logs.size() + metered.size() + outcome.emitted().size());
        InvocationResult.Builder result =
                resultBuilder(request, attempts)
                        .setSuccess(outcome.succeeded())
                        .setStartMicros(outcome.startMicros())
                        .setDurationMicros(outcome.durationMicros())
                        .setEmitted(outcome.emitted().size());
        if (outcome.succeeded()) {
            Result r = outcome.result();
            result.setData(ByteBuffer.wrap(r.data()))
                    .setContentType(r.contentType().orElse(null))
                    .setStatus(r.status())
                    .setHeaders(r.headers());
        } else {
            result.setFailureKind(outcome.failure())
                    .setError(outcome.reason())
                    .setStatus(statusFor(outcome.failure()));
            out.add(
                    OutputRecords.deadLetter(
                            deadLetter(request, attempts, outcome.failure(), outcome.reason())));
        }
        out.add(OutputRecords.result(result.build()));
        out.addAll(outcome.emitted());
        logs.forEach(l -> out.add(OutputRecords.log(l)));
        metered.forEach(m -> out.add(OutputRecords.invocation(m)));
        return out;
    }

    /** The HTTP status a gateway answers a failed invocation with. */
    static int statusFor(FailureKind kind) {
        return switch (kind) {
            case TIMEOUT -> 504;
            case UNKNOWN_FUNCTION -> 404;
            case PLATFORM_ERROR -> 500; // the platform's fault, not the function's (502)
            default -> 502;
        };
    }

    private List<OutputRecord> codeLoadFailure(InvocationRequest request, Throwable error) {
        metrics.deadLettered(request.getSpec().getName());
        if (!(error instanceof CodeLoadException)) { // a bug of the loader, not a bad jar
            LOG.error("platform error loading {}", request.getSpec().getName(), error);
            return failure(request, 0, FailureKind.PLATFORM_ERROR, Failures.platform(error));
        }
        return failure(request, 0, FailureKind.CODE_LOAD, error.getMessage());
    }

    /** The outputs of an invocation that failed without an attempt outcome. */
    public static List<OutputRecord> failure(
            InvocationRequest request, int attempts, FailureKind kind, String reason) {
        InvocationResult result =
                resultBuilder(request, attempts)
                        .setSuccess(false)
                        .setFailureKind(kind)
                        .setStatus(statusFor(kind))
                        .setError(reason)
                        .setStartMicros(epochMicros())
                        .setDurationMicros(0)
                        .build();
        return List.of(
                OutputRecords.deadLetter(deadLetter(request, attempts, kind, reason)),
                OutputRecords.result(result));
    }

    private static InvocationResult.Builder resultBuilder(InvocationRequest request, int attempts) {
        return InvocationResult.newBuilder()
                .setInvocationId(request.getInvocationId())
                .setFunction(request.getSpec().getName())
                .setVersion(request.getSpec().getVersion())
                .setEventId(request.getEvent().getId())
                .setAttempts(attempts);
    }

    private static DeadLetter deadLetter(
            InvocationRequest request, int attempts, FailureKind kind, String reason) {
        return DeadLetter.newBuilder()
                .setFunction(request.getSpec().getName())
                .setVersion(request.getSpec().getVersion())
                .setInvocationId(request.getInvocationId())
                .setKind(kind)
                .setReason(reason)
                .setAttempts(attempts)
                .setEvent(request.getEvent())
                .setTime(Instant.now())
                .build();
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static long epochMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    private static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000;
    }
}
