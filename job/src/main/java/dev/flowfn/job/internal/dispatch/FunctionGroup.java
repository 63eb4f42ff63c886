package dev.flowfn.job.internal.dispatch;

import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.code.CodeLoadException;
import dev.flowfn.job.internal.code.ExitGuard;
import dev.flowfn.job.internal.code.LoadedFunction;
import dev.flowfn.job.runtime.Completion;
import dev.flowfn.job.runtime.WorkerPool;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Progress;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.worker.OwnTime;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The invocations of one parallel instance of the job, and how they run. For each (function,
 * partition key) a FIFO of invocations, of which only the head runs: one key's invocations run one
 * at a time, in order. The head runs inline on the task thread when its function version is
 * measured fast ({@link InlinePolicy}), else in the version's {@link Lane} (runtime {@code
 * java-embedded}); the other runtimes' attempts run in worker processes of the TaskManager's {@link
 * WorkerPool} or, for {@code http}, at the function's URL. Lane and worker attempts come back in
 * batches through {@link Host#completionsReady} and {@link #drainCompletions}, deadlines are the
 * {@link Watchdog}'s. No future, timer or state write per invocation: what is in flight lives here
 * and goes into the operator's checkpoint ({@link #forEachInFlight}).
 *
 * <p>Every method but the runners' is for the task thread only.
 */
public final class FunctionGroup {

    private static final Logger LOG = LoggerFactory.getLogger(FunctionGroup.class);
    private static final long MAX_BACKOFF_MILLIS = 30_000;

    /** Emptied queues kept for reuse at most. */
    private static final int MAX_SPARE_QUEUES = 64;

    /** What the group needs from its operator: the task thread's services. */
    public interface Host {
        /** An output record for the exactly-once sink. */
        void emit(OutputRecord record);

        /** One attempt's cost, for the metering partial sums. */
        void metered(
                FunctionSpec spec,
                long endMillis,
                long billedMs,
                boolean success,
                boolean deadLettered);

        /** Runs {@code action} on the task thread after {@code delayMillis}. */
        void later(long delayMillis, Runnable action);

        /**
         * Lane attempts ended: call {@link #drainCompletions} on the task thread (through the
         * mailbox). Called from any thread, once per batch.
         */
        void completionsReady();
    }

    /** What the group keeps per function version it ran. */
    private final class Version {
        final Map<String, String> env;
        final Lane lane;
        final InlinePolicy policy;
        CompletableFuture<LoadedFunction> code;

        /**
         * {@link #code}'s value once it loaded, until it is unloaded: what each event needs, read
         * without the future's checks and join (3% of the task thread's samples in scenario 1).
         */
        LoadedFunction loaded;

        /** Where it runs: {@code java-embedded} in this JVM, else a worker runtime. */
        final Runtimes.Placement placement;

        /** The version as the worker pool runs it; null when it runs in this JVM. */
        final WorkerPool.Version onWorkers;

        final WorkerPool.CodeSource workerCode;

        Version(FunctionSpec spec) {
            env = InvocationContext.environment(runtime.platformEnv, spec);
            lane =
                    new Lane(
                            spec.getMaxConcurrency(),
                            runtime.handlers,
                            FunctionGroup.this::runOnLane);
            policy = new InlinePolicy(inlineAllowed);
            placement = Runtimes.placement(spec.getRuntime());
            if (placement == Runtimes.Placement.EMBEDDED) {
                // once per JVM, and only where java-embedded code runs: Java 17 warns on stderr
                ExitGuard.install();
            }
            onWorkers = placement.worker() == null ? null : Runtimes.onWorkers(spec, env);
            workerCode =
                    onWorkers == null
                            ? null
                            : () -> Runtimes.codeDir(runtime.fetcher, spec, placement.worker());
        }

        CompletableFuture<LoadedFunction> code(FunctionSpec spec) {
            LoadedFunction fn = loaded;
            if (fn != null && !fn.unloaded()) {
                return code;
            }
            loaded = null;
            CompletableFuture<LoadedFunction> c = code;
            if (c == null
                    || (c.isDone() && !c.isCompletedExceptionally() && c.join().unloaded())
                    || c.isCompletedExceptionally()) {
                c = runtime.loader.load(spec);
                code = c;
            }
            if (c.isDone() && !c.isCompletedExceptionally()) {
                loaded = c.join();
            }
            return c;
        }
    }

    private final DispatchRuntime runtime;
    private final Host host;
    private final boolean publishInvocations;
    private final boolean inlineAllowed;
    private final Watchdog watchdog;
    private final OwnTime ownTime = new OwnTime();
    private final Map<QueueKey, ArrayDeque<Invocation>> queues = new HashMap<>();
    private final Map<FunctionSpec, Version> versions = new IdentityHashMap<>();
    private final ConcurrentLinkedQueue<Attempt> completions = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final ArrayDeque<Invocation> toStart = new ArrayDeque<>();

    /**
     * Emptied queues, for the next keys: with unique keys (HTTP requests, unkeyed records) every
     * invocation would otherwise make a queue that lives for one inline run.
     */
    private final ArrayDeque<ArrayDeque<Invocation>> spareQueues = new ArrayDeque<>();

    private boolean starting;
    private int inFlight;
    private Thread inlineThread;
    private ExitGuard.Mark inlineExitMark;

    /**
     * @param inlineAllowed whether fast functions may run on the task thread (off: every attempt
     *     runs in a lane)
     */
    public FunctionGroup(
            DispatchRuntime runtime, Host host, boolean publishInvocations, boolean inlineAllowed) {
        this.runtime = runtime;
        this.host = host;
        this.publishInvocations = publishInvocations;
        this.inlineAllowed = inlineAllowed;
        this.watchdog = new Watchdog(runtime.scheduler, this::expire);
    }

    /** Invocations queued or running, all functions together. */
    public int inFlight() {
        return inFlight;
    }

    /** Queues an invocation behind those of its function and partition key. */
    public void submit(Invocation invocation) {
        inFlight++;
        if (inFlight == 1 && !starting) {
            startAlone(invocation);
            return;
        }
        ArrayDeque<Invocation> queue = queues.get(invocation.queueKey());
        if (queue != null) {
            invocation.queue = queue;
            queue.add(invocation);
            return;
        }
        queue(invocation);
        start(invocation);
    }

    /**
     * Nothing else is in flight, so there is no queue to wait in: the invocation starts at once and
     * gets a queue only if it is still in flight when its start returns (on a lane, on a worker,
     * waiting for its code or for a retry). A fast function run inline ends within its start, and
     * no map of queues is touched for it.
     */
    private void startAlone(Invocation invocation) {
        starting = true;
        try {
            startNow(invocation);
            if (inFlight > 0) { // only this one can be: nothing else was, and nothing came since
                queue(invocation);
            }
            startWaiting();
        } finally {
            starting = false;
        }
    }

    /** Gives the invocation a queue of its own, with it first in line. */
    private void queue(Invocation invocation) {
        ArrayDeque<Invocation> queue = spareQueues.poll();
        if (queue == null) {
            queue = new ArrayDeque<>(2);
        }
        invocation.queue = queue;
        queue.add(invocation);
        queues.put(invocation.queueKey(), queue);
    }

    /** Every invocation in flight, each queue in its order. */
    public void forEachInFlight(Consumer<Invocation> each) {
        for (ArrayDeque<Invocation> queue : queues.values()) {
            queue.forEach(each);
        }
    }

    /**
     * Ends lane attempts that came back; the task thread's side of {@link Host#completionsReady}.
     */
    public void drainCompletions() {
        drainScheduled.set(false);
        Attempt a;
        while ((a = completions.poll()) != null) {
            ended(a);
        }
    }

    /** Forgets the measurements of versions no longer deployed (nothing of theirs in flight). */
    public void forget(FunctionSpec spec) {
        versions.remove(spec);
    }

    private void start(Invocation invocation) {
        toStart.add(invocation);
        if (starting) {
            return; // the loop below, further up this stack, starts it
        }
        starting = true;
        try {
            startWaiting();
        } finally {
            starting = false;
        }
    }

    /** Starts, in order, what was given to {@link #start} while something was starting. */
    private void startWaiting() {
        Invocation next;
        while ((next = toStart.poll()) != null) {
            startNow(next);
        }
    }

    private void startNow(Invocation invocation) {
        FunctionSpec spec = invocation.spec;
        Version version = versions.computeIfAbsent(spec, s -> new Version(s));
        invocation.attempts++;
        if (version.placement != Runtimes.Placement.EMBEDDED) {
            startOnWorker(invocation, version);
            return;
        }
        CompletableFuture<LoadedFunction> code = version.code(spec);
        LoadedFunction loaded = version.loaded; // set by code() when the code is there
        if (loaded != null && version.policy.inline()) {
            runInline(
                    new Attempt(invocation, invocation.attempts, code, null, version.env),
                    loaded,
                    version);
            return;
        }
        if (code.isCompletedExceptionally()) {
            Attempt failed = new Attempt(invocation, invocation.attempts, code, null, version.env);
            failed.endByLoadFailure(unwrap(code));
            ended(failed);
            return;
        }
        version.lane.submit(
                new Attempt(invocation, invocation.attempts, code, version.lane, version.env));
    }

    private void runInline(Attempt attempt, LoadedFunction fn, Version version) {
        begin(attempt);
        ownTime.beforeRun(attempt.startNanos);
        attempt.runningOn(Thread.currentThread());
        watchdog.watch(attempt);
        AttemptOutcome outcome = run(attempt, fn, inlineExitMark());
        watchdog.unwatch(attempt);
        attempt.endByRunner(outcome);
        ended(attempt, version);
    }

    /** A lane thread's work: waits for the code if it is still loading, runs the handler. */
    private void runOnLane(Attempt attempt) {
        LoadedFunction fn;
        try {
            fn = attempt.code.join();
        } catch (RuntimeException e) {
            if (attempt.endByLoadFailure(unwrap(attempt.code))) {
                attempt.lane.release();
                complete(attempt);
            }
            return;
        }
        runtime.metrics.started(
                attempt.invocation.spec.getName(), (System.nanoTime() - attempt.madeNanos) / 1000);
        begin(attempt);
        attempt.runningOn(Thread.currentThread());
        watchdog.watch(attempt);
        AttemptOutcome outcome = run(attempt, fn, ExitGuard.currentThread());
        watchdog.unwatch(attempt);
        if (attempt.endByRunner(outcome)) {
            attempt.lane.release();
            complete(attempt);
        }
    }

    private void begin(Attempt attempt) {
        FunctionSpec spec = attempt.invocation.spec;
        long timeoutMs = spec.getTimeoutMs();
        long startNanos = System.nanoTime();
        long startMicros = EpochClock.micros(startNanos);
        attempt.startNanos = startNanos;
        attempt.startMicros = startMicros;
        attempt.context =
                new InvocationContext(
                        spec,
                        attempt.invocation.invocationId,
                        attempt.number,
                        startMicros + timeoutMs * 1_000,
                        runtime.maxLogLines,
                        runtime.progress,
                        attempt.env);
        attempt.deadlineNanos = startNanos + timeoutMs * 1_000_000;
    }

    /** The task thread's exit mark, looked up once (the inline path runs on that thread alone). */
    private ExitGuard.Mark inlineExitMark() {
        Thread current = Thread.currentThread();
        if (inlineThread != current) {
            inlineExitMark = ExitGuard.currentThread();
            inlineThread = current;
        }
        return inlineExitMark;
    }

    private AttemptOutcome run(Attempt attempt, LoadedFunction fn, ExitGuard.Mark exitMark) {
        Invocation invocation = attempt.invocation;
        fn.enter(attempt.startNanos);
        AttemptOutcome outcome = null;
        try {
            outcome =
                    Outcomes.runHandler(
                            exitMark,
                            fn.handler(),
                            fn.classLoader(),
                            invocation.event,
                            invocation.invocationId,
                            attempt.context,
                            runtime.emitTopics,
                            attempt.startNanos,
                            attempt.startMicros);
            return outcome;
        } finally {
            // its end from its measured duration: no clock read
            fn.exit(
                    outcome != null
                            ? attempt.startNanos + outcome.durationMicros() * 1_000
                            : System.nanoTime());
        }
    }

    /**
     * Task thread: hands the attempt to the worker pool, which runs it in a worker process of its
     * version. The deadline starts when a worker takes it.
     */
    private void startOnWorker(Invocation invocation, Version version) {
        // hashed here, on the task thread that made the string: the worker pool's maps use the
        // hash on the threads that read the workers' results, where touching the string's bytes
        // cost a cache miss per invocation (a quarter of their samples in scenario 11)
        invocation.invocationId.hashCode();
        Attempt attempt = Attempt.onWorker(invocation, invocation.attempts, version.env);
        if (version.placement == Runtimes.Placement.HTTP) {
            runtime.remote.submit(invocation.spec.getCodeUri(), new WorkerTask(attempt));
            return;
        }
        if (version.placement == Runtimes.Placement.UNSUPPORTED || runtime.workers == null) {
            attempt.endByLoadFailure(
                    new CodeLoadException(
                            Runtimes.unsupported(invocation.spec.getRuntime(), runtime.workers)));
            ended(attempt);
            return;
        }
        runtime.workers.submit(version.onWorkers, version.workerCode, new WorkerTask(attempt));
    }

    /** One attempt as the worker pool sees it. */
    private final class WorkerTask implements WorkerPool.Task {
        private final Attempt attempt;

        WorkerTask(Attempt attempt) {
            this.attempt = attempt;
        }

        @Override
        public String invocationId() {
            return attempt.invocation.invocationId;
        }

        @Override
        public Invoke invoke() {
            runtime.metrics.started(
                    attempt.invocation.spec.getName(),
                    (System.nanoTime() - attempt.madeNanos) / 1000);
            begin(attempt);
            return Runtimes.invoke(attempt.invocation, attempt.number, attempt.context);
        }

        @Override
        public void handedTo(WorkerPool.Worker worker) {
            attempt.worker = worker;
            watchdog.watch(attempt);
        }

        @Override
        public void progress(Progress progress) {
            attempt.progressSeenLive = true;
            InvocationContext ctx = attempt.context;
            if (ctx != null) {
                ctx.progress(
                        progress.fraction() == null ? Double.NaN : progress.fraction(),
                        progress.message());
            }
        }

        @Override
        public void completed(Completion completion) {
            watchdog.unwatch(attempt);
            String codeLoad = WorkerOutcomes.codeLoadFailure(completion);
            if (codeLoad != null) {
                CodeLoadException error = new CodeLoadException(codeLoad);
                if (attempt.endByWorker(AttemptOutcome.notRun(error))) {
                    attempt.loadError = error;
                    complete(attempt);
                }
                return;
            }
            if (attempt.context == null) { // failed before a worker took it
                begin(attempt);
            }
            AttemptOutcome outcome =
                    WorkerOutcomes.of(
                            completion,
                            attempt.context,
                            runtime.emitTopics,
                            attempt.startMicros,
                            attempt.startNanos,
                            !attempt.progressSeenLive);
            if (attempt.endByWorker(outcome)) {
                complete(attempt);
            }
        }
    }

    /** The watchdog's thread: the attempt is past its deadline. */
    private void expire(Attempt attempt) {
        AttemptOutcome timedOut =
                AttemptOutcome.failed(
                        FailureKind.TIMEOUT,
                        Outcomes.timeoutReason(attempt.invocation.spec.getTimeoutMs()),
                        attempt.startMicros,
                        Outcomes.micros(attempt.startNanos),
                        attempt.context);
        if (!attempt.endByDeadline(timedOut)) {
            return;
        }
        if (attempt.onWorker) {
            // whatever the handler does, killing its process gives the CPU back
            attempt.worker.kill(
                    "invocation "
                            + attempt.invocation.invocationId
                            + " ran past its timeout of "
                            + attempt.invocation.spec.getTimeoutMs()
                            + " ms");
            complete(attempt);
        } else if (!attempt.inline) {
            attempt.lane.release();
            complete(attempt); // an inline attempt is ended by the task thread once it returns
        }
    }

    /** Any thread: the attempt ended off the task thread. */
    private void complete(Attempt attempt) {
        completions.add(attempt);
        if (drainScheduled.compareAndSet(false, true)) {
            host.completionsReady();
        }
    }

    /** Task thread: when the operator closes. */
    public void close() {
        ownTime.close();
    }

    /** Task thread: an attempt ended, its outcome set. */
    private void ended(Attempt attempt) {
        ended(attempt, versions.get(attempt.invocation.spec));
    }

    /**
     * @param version its version's measurements, or null when they were forgotten meanwhile
     */
    private void ended(Attempt attempt, Version version) {
        Invocation invocation = attempt.invocation;
        FunctionSpec spec = invocation.spec;
        if (attempt.loadError != null) {
            finishWithoutAttempt(invocation, attempt.loadError);
            return;
        }
        AttemptOutcome outcome = attempt.outcome();
        if (version != null) {
            long micros = outcome.durationMicros();
            if (attempt.inline) {
                micros = ownTime.micros(attempt.startNanos, micros, InlinePolicy.SLOW_MICROS);
            }
            version.policy.record(micros, attempt.inline);
        }
        if (attempt.inline) {
            runtime.metrics.ranInline(
                    spec.getName(), outcome.durationMicros(), outcome.succeeded());
        } else {
            runtime.metrics.finished(spec.getName(), outcome.durationMicros(), outcome.succeeded());
        }
        invocation.addLogs(outcome.logs());
        boolean last =
                outcome.succeeded() || invocation.attempts >= spec.getRetry().getMaxAttempts();
        boolean deadLettered = last && !outcome.succeeded();
        long billedMs = Math.max(1, (outcome.durationMicros() + 999) / 1000);
        host.metered(
                spec,
                (outcome.startMicros() + outcome.durationMicros()) / 1000,
                billedMs,
                outcome.succeeded(),
                deadLettered);
        if (publishInvocations) {
            invocation.addMetered(
                    Outcomes.meter(invocation, attempt.number, outcome, deadLettered));
        }
        if (!last) {
            runtime.metrics.retried(spec.getName());
            long backoff =
                    Math.min(
                            MAX_BACKOFF_MILLIS,
                            spec.getRetry().getBackoffMs() << Math.min(attempt.number - 1, 20));
            host.later(backoff, () -> start(invocation));
            return;
        }
        if (deadLettered) {
            runtime.metrics.deadLettered(spec.getName());
        }
        reply(invocation, Outcomes.finish(invocation, outcome, publishInvocations, host::emit));
        done(invocation);
    }

    private void finishWithoutAttempt(Invocation invocation, Throwable error) {
        runtime.metrics.deadLettered(invocation.spec.getName());
        invocation.attempts = 0;
        List<OutputRecord> outputs;
        if (error instanceof CodeLoadException) {
            outputs = Outcomes.failure(invocation, 0, FailureKind.CODE_LOAD, error.getMessage());
        } else { // a bug of the loader, not a bad jar
            LOG.error("platform error loading {}", invocation.spec.getName(), error);
            outputs =
                    Outcomes.failure(
                            invocation, 0, FailureKind.PLATFORM_ERROR, Failures.platform(error));
        }
        outputs.forEach(host::emit);
        reply(invocation, outputs.get(outputs.size() - 1));
        done(invocation);
    }

    /** Pushes the result to the gateway holding the request, when the event asks for it. */
    private void reply(Invocation invocation, OutputRecord result) {
        String address = invocation.event.getExtensions().get(EventExtensions.REPLY_TO);
        if (address != null) {
            runtime.replies.push(address, invocation.invocationId, result.value);
        }
    }

    /** The invocation finished: the next one of its queue starts. */
    private void done(Invocation invocation) {
        inFlight--;
        ArrayDeque<Invocation> queue = invocation.queue;
        if (queue == null) {
            return; // it ran alone and ended within its start: it never had a queue
        }
        Invocation head = queue.poll();
        if (head != invocation) {
            throw new IllegalStateException(
                    "invocation " + invocation + " finished while " + head + " was first in line");
        }
        if (queue.isEmpty()) {
            queues.remove(invocation.queueKey());
            if (spareQueues.size() < MAX_SPARE_QUEUES) {
                spareQueues.add(queue);
            }
        } else {
            start(queue.peek());
        }
    }

    private static Throwable unwrap(CompletableFuture<?> failed) {
        try {
            failed.join();
            return new IllegalStateException("code load did not fail");
        } catch (CompletionException e) {
            return e.getCause() != null ? e.getCause() : e;
        } catch (RuntimeException e) {
            return e;
        }
    }
}
