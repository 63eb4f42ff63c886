package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Progress;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker processes of one TaskManager, shared by its parallel instances: per function version
 * the workers that run it, started on its first invocation and stopped when idle, bounded by a
 * count and a memory budget (the sum of their functions' {@code --memory}). A version's invocations
 * wait here, in order, until a worker of it has room: its HELLO concurrency, or a few times that
 * while the version is measured fast ({@link Pace}: the worker queues the surplus, so it never
 * waits a round trip for work). An invocation's deadline starts when it is handed over ({@link
 * Task#invoke}).
 *
 * <p>Once a worker has started, one more of its kind (runtime, memory, concurrency) is started
 * ahead, with nothing loaded: the next version of that kind to need a worker (a new deploy, a
 * function's first event) loads into it at once, without waiting for a process to start ({@link
 * Spare}). Each spare is used for one version only, never shared; spares give way to any worker
 * that needs their room, and stop when idle like the workers.
 *
 * <p>A worker that runs out of budget or count waits for idle workers of other versions to be
 * stopped (least recently used first). A version whose code fails to load, or whose worker cannot
 * start, fails its waiting invocations and is not tried again for {@link #FAILURE_MEMORY}.
 *
 * <p>Threads: any. Workers start on the pool's own threads; completions are delivered on the
 * worker's reader thread ({@link Task#completed}); one lock guards the pool's state and is never
 * held while a worker is written to or a task is called.
 */
public final class WorkerPool implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);
    static final Duration FAILURE_MEMORY = Duration.ofSeconds(30);

    /**
     * The pool's bounds, serializable with the job graph.
     *
     * @param sdkHome where the Node.js and Python workers are (the Flowfn home)
     * @param maxWorkers workers at once in this TaskManager
     * @param memoryBudgetMb the sum of the workers' memory limits at once
     * @param idleStop a worker with nothing to run is stopped after this long
     * @param helloTimeout how long a worker may take from its start to HELLO
     */
    public record Settings(
            String sdkHome,
            int maxWorkers,
            int memoryBudgetMb,
            Duration idleStop,
            Duration helloTimeout)
            implements Serializable {

        public Settings {
            Objects.requireNonNull(sdkHome, "sdkHome");
            if (maxWorkers < 1 || memoryBudgetMb < 1) {
                throw new IllegalArgumentException(
                        "the worker pool needs at least one worker and 1 MB of budget");
            }
        }
    }

    /** A function version as its workers run it. */
    public record Version(
            String function,
            int version,
            WorkerRuntime runtime,
            String handler,
            int memoryMb,
            int maxConcurrency,
            Map<String, String> env,
            String key) {

        /**
         * @param key {@code function@version}, made once: the pool looks its workers up by it for
         *     every invocation
         */
        public Version {
            env = Map.copyOf(env);
            if (!key.equals(function + "@" + version)) {
                throw new IllegalArgumentException(key + " is not " + function + "@" + version);
            }
        }

        public Version(
                String function,
                int version,
                WorkerRuntime runtime,
                String handler,
                int memoryMb,
                int maxConcurrency,
                Map<String, String> env) {
            this(
                    function,
                    version,
                    runtime,
                    handler,
                    memoryMb,
                    maxConcurrency,
                    env,
                    function + "@" + version);
        }

        int workerConcurrency() {
            return Math.max(1, Math.min(maxConcurrency, runtime.maxWorkerConcurrency()));
        }

        int maxWorkers() {
            return Math.max(1, (maxConcurrency + workerConcurrency() - 1) / workerConcurrency());
        }
    }

    /** Where a version's code is: prepares its folder (download, unpack) on a pool thread. */
    @FunctionalInterface
    public interface CodeSource {
        /**
         * @throws Exception with a message that names the fix when the code cannot be had
         */
        Path codeDir() throws Exception;
    }

    /** One attempt to run on a worker. */
    public interface Task {
        /** The invocation's id: unique among the attempts in flight. */
        String invocationId();

        /** Builds the INVOKE at the moment of hand-over: the attempt's deadline starts now. */
        Invoke invoke();

        /** The attempt is on {@code worker} from now on (a missed deadline kills it). */
        void handedTo(Worker worker);

        /** A progress report of the attempt while it runs (on the worker's reader thread). */
        default void progress(Progress progress) {}

        /** The attempt ended; called exactly once, on any thread, never under the pool's lock. */
        void completed(Completion completion);
    }

    /** What a task may do to the worker that runs it. */
    public interface Worker {
        /** Kills the worker at once; every attempt it holds fails. */
        void kill(String reason);
    }

    /** Starts a worker of a version; a seam for tests. */
    @FunctionalInterface
    interface Launcher {
        WorkerConnection start(WorkerConfig config, WorkerListener listener)
                throws WorkerStartException;
    }

    private final Settings settings;
    private final Path sdkHome;
    private final Launcher launcher;
    private final ExecutorService starters;
    private final ScheduledExecutorService sweeper;
    private final AtomicInteger workerIds = new AtomicInteger();

    private final Object lock = new Object();
    private final Map<String, Versioned> versions = new HashMap<>(); // guarded by lock
    private final Set<Versioned> starving = new LinkedHashSet<>(); // guarded by lock
    private final Map<SpareKind, Spare> spares = new HashMap<>(); // guarded by lock
    private int workers; // guarded by lock, with the two below
    private int memoryInUseMb;
    private boolean closed;

    public WorkerPool(Settings settings) {
        this(settings, WorkerConnection::open);
    }

    WorkerPool(Settings settings, Launcher launcher) {
        this.settings = settings;
        this.sdkHome = Path.of(settings.sdkHome());
        this.launcher = launcher;
        AtomicInteger n = new AtomicInteger();
        this.starters =
                Executors.newCachedThreadPool(
                        r -> daemon(r, "flowfn-worker-start-" + n.incrementAndGet()));
        this.sweeper =
                Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "flowfn-worker-sweep"));
        long every = Math.max(200, Math.min(5_000, settings.idleStop().toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::stopIdle, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} on a worker of {@code version}: at once if one has room, else when one has
     * (starting one if the bounds allow). Its completion comes to {@link Task#completed}.
     */
    public void submit(Version version, CodeSource code, Task task) {
        Sends sends = new Sends();
        Completion refused = null;
        synchronized (lock) {
            if (closed) {
                refused = failure(task, WorkerFailureKind.WORKER_START, "the job is stopping");
            } else {
                Versioned v = versions.computeIfAbsent(version.key(), k -> new Versioned(version));
                v.code = code;
                refused = v.refusal(task);
                if (refused == null) {
                    v.waiting.add(task);
                    dispatch(v, sends);
                }
            }
        }
        if (refused != null) {
            task.completed(refused);
        }
        sends.run();
    }

    /** Workers of versions alive or starting now (spares not counted). */
    public int workerCount() {
        synchronized (lock) {
            return workers - spares.size();
        }
    }

    /** The sum of the memory limits of the workers alive or starting now, spares included. */
    public int memoryInUseMb() {
        synchronized (lock) {
            return memoryInUseMb;
        }
    }

    /** Spare workers started and waiting for a version to adopt them. */
    int readySpares() {
        synchronized (lock) {
            return (int) spares.values().stream().filter(s -> s.ready).count();
        }
    }

    /** Stops every worker; their attempts fail with {@code WORKER_EXITED}. */
    @Override
    public void close() {
        List<PooledWorker> all = new ArrayList<>();
        List<WorkerConnection> spareWorkers = new ArrayList<>();
        synchronized (lock) {
            closed = true;
            versions.values().forEach(v -> all.addAll(v.workers));
            for (Spare spare : new ArrayList<>(spares.values())) {
                spare.release(); // one still starting stops itself, seeing the pool closed
                if (spare.connection != null) {
                    spareWorkers.add(spare.connection);
                }
            }
        }
        sweeper.shutdownNow();
        for (PooledWorker w : all) {
            w.stop("the job is stopping");
        }
        for (WorkerConnection spare : spareWorkers) {
            spare.stop("the job is stopping");
        }
        starters.shutdownNow();
    }

    /** Under the lock: hands waiting tasks to workers with room, starts workers if needed. */
    private void dispatch(Versioned v, Sends sends) {
        if (closed) {
            return; // the job is stopping: its attempts end with it
        }
        for (PooledWorker w : v.workers) {
            if (v.waiting.isEmpty()) {
                break;
            }
            w.take(v.waiting, sends);
        }
        if (v.waiting.isEmpty() || v.workers.size() + v.starting >= v.version.maxWorkers()) {
            starving.remove(v);
            return;
        }
        if (v.workers.size() + v.starting > 0 && v.waitingFitsStarting()) {
            return; // the worker starting will take them
        }
        SpareKind kind = SpareKind.of(v.version);
        Spare spare = spares.get(kind);
        if (spare != null && spare.ready) {
            spares.remove(kind);
            starving.remove(v);
            v.starting++;
            PooledWorker worker = spare.adoptedBy(v); // its count and memory go with it
            starters.execute(() -> loadWhenCodeReady(worker, worker.connection));
            startSpare(kind);
            return;
        }
        if (!makeRoomFor(v)) {
            starving.add(v);
            return;
        }
        starving.remove(v);
        v.starting++;
        workers++;
        memoryInUseMb += v.version.memoryMb();
        PooledWorker worker = new PooledWorker(v, workerId(v.version));
        starters.execute(() -> start(worker));
    }

    /**
     * Under the lock: starts a spare worker of {@code kind} unless one is there, or it would not
     * fit beside the workers alive (a spare never makes anyone give way).
     */
    private void startSpare(SpareKind kind) {
        if (closed || spares.containsKey(kind) || !fits(kind.memoryMb())) {
            return;
        }
        workers++;
        memoryInUseMb += kind.memoryMb();
        Spare spare =
                new Spare(
                        kind, "spare-" + kind.runtime().id() + "-w" + workerIds.incrementAndGet());
        spares.put(kind, spare);
        starters.execute(spare::launch);
    }

    /** Under the lock: stops every spare, to make room; true if there were any. */
    private boolean stopSpares(String reason) {
        if (spares.isEmpty()) {
            return false;
        }
        for (Spare spare : new ArrayList<>(spares.values())) {
            spare.discard(reason);
        }
        return true;
    }

    /**
     * {@code FLOWFN_WORKER_ID}: the version and a number, so an operator can tell whose a process
     * is ({@code ps e}, {@code /proc/PID/environ}).
     */
    private String workerId(Version version) {
        String id = "-v" + version.version() + "-w" + workerIds.incrementAndGet();
        String name = version.function().replaceAll("[^A-Za-z0-9._-]", "_");
        return name.substring(0, Math.min(name.length(), 64 - id.length())) + id;
    }

    /** Under the lock: whether a worker of {@code v} fits, after stopping idle ones if needed. */
    private boolean makeRoomFor(Versioned v) {
        int memory = v.version.memoryMb();
        if (fits(memory)) {
            return true;
        }
        if (stopSpares("making room for " + v.version.key()) && fits(memory)) {
            return true;
        }
        List<PooledWorker> idle = new ArrayList<>();
        for (Versioned other : versions.values()) {
            for (PooledWorker w : other.workers) {
                if (w.idle()) {
                    idle.add(w);
                }
            }
        }
        idle.sort(Comparator.comparingLong(w -> w.idleSinceNanos));
        int freedWorkers = 0;
        int freedMb = 0;
        List<PooledWorker> toStop = new ArrayList<>();
        for (PooledWorker w : idle) {
            if (fits(memory, freedWorkers, freedMb)) {
                break;
            }
            toStop.add(w);
            freedWorkers++;
            freedMb += w.version.version.memoryMb();
        }
        if (!fits(memory, freedWorkers, freedMb)) {
            if (workers == 0 || memory > settings.memoryBudgetMb()) {
                return true; // alone, it may use more than the budget rather than never run
            }
            return false;
        }
        for (PooledWorker w : toStop) {
            w.retire();
            starters.execute(() -> w.stop("making room for " + v.version.key()));
        }
        return true;
    }

    private boolean fits(int memoryMb) {
        return fits(memoryMb, 0, 0);
    }

    private boolean fits(int memoryMb, int freedWorkers, int freedMb) {
        return workers - freedWorkers < settings.maxWorkers()
                && memoryInUseMb - freedMb + memoryMb <= settings.memoryBudgetMb();
    }

    /**
     * A pool thread: starts the worker while another pool thread prepares the code (a download and
     * an unpack that would otherwise come before the process start, on the first invocation's
     * path), then loads the version once both are done.
     */
    private void start(PooledWorker worker) {
        Versioned v = worker.version;
        Version version = v.version;
        CompletableFuture<Path> code = prepareCode(v.code);
        WorkerConnection connection;
        try {
            WorkerConfig config =
                    WorkerConfig.builder(version.runtime(), sdkHome)
                            .setWorkerId(worker.id)
                            .setConcurrency(version.workerConcurrency())
                            .setMemoryMb(version.memoryMb())
                            .setHelloTimeout(settings.helloTimeout())
                            .build();
            connection = launcher.start(config, worker);
        } catch (WorkerStartException | RuntimeException e) {
            LOG.warn("cannot start a worker of {}: {}", version.key(), e.getMessage());
            startFailed(worker, WorkerFailureKind.WORKER_START, String.valueOf(e.getMessage()));
            return;
        }
        worker.connection = connection;
        loadWhenCodeReady(worker, connection, code);
    }

    /** A pool thread: loads the version into a started spare once its code is prepared. */
    private void loadWhenCodeReady(PooledWorker worker, WorkerConnection connection) {
        loadWhenCodeReady(worker, connection, prepareCode(worker.version.code));
    }

    private void loadWhenCodeReady(
            PooledWorker worker, WorkerConnection connection, CompletableFuture<Path> code) {
        code.whenComplete(
                (codeDir, error) -> {
                    if (error != null) {
                        connection.stop("its code could not be had");
                        startFailed(
                                worker,
                                WorkerFailureKind.CODE_LOAD,
                                String.valueOf(error.getMessage()));
                    } else {
                        load(worker, connection, codeDir);
                    }
                });
    }

    /**
     * The code's folder, prepared on a pool thread of its own.
     *
     * @return completes with the folder, or exceptionally with the source's exception itself (its
     *     message names the fix)
     */
    private CompletableFuture<Path> prepareCode(CodeSource source) {
        CompletableFuture<Path> code = new CompletableFuture<>();
        try {
            starters.execute(
                    () -> {
                        try {
                            code.complete(source.codeDir());
                        } catch (Exception e) {
                            code.completeExceptionally(e);
                        }
                    });
        } catch (RejectedExecutionException e) {
            code.completeExceptionally(new IllegalStateException("the job is stopping", e));
        }
        return code;
    }

    /** Sends LOAD to a started worker (on the thread that finished last: starter or code). */
    private void load(PooledWorker worker, WorkerConnection connection, Path codeDir) {
        Version version = worker.version.version;
        CompletableFuture<LoadOutcome> load;
        try {
            load =
                    connection.load(
                            version.function(),
                            version.version(),
                            version.handler(),
                            codeDir,
                            version.memoryMb(),
                            version.env());
        } catch (IllegalStateException e) {
            return; // it exited at once: onWorkerExit counts it out
        }
        load.whenComplete((outcome, error) -> loaded(worker, outcome, error));
    }

    private void loaded(PooledWorker worker, LoadOutcome outcome, Throwable error) {
        Versioned v = worker.version;
        if (error != null || !outcome.loaded()) {
            // LOAD_FAILED, or the worker exited while it loaded (the code's top level exited)
            String message =
                    error != null
                            ? String.valueOf(error)
                            : outcome.failure() == WorkerFailureKind.WORKER_EXITED
                                    ? "the worker exited while it loaded the code: "
                                            + outcome.message()
                                    : outcome.message();
            worker.connection.stop("its load failed");
            startFailed(worker, WorkerFailureKind.CODE_LOAD, message);
            return;
        }
        long startedMs = worker.connection.coldStart().toMillis();
        String started =
                worker.spareWaitedNanos >= 0
                        ? "a spare (it had started in "
                                + startedMs
                                + " ms and waited "
                                + worker.spareWaitedNanos / 1_000_000
                                + " ms)"
                        : "started in " + startedMs + " ms";
        LOG.info(
                "worker {} (pid {}) runs {} of {}: {}, loaded in {} ms",
                worker.id,
                worker.connection.pid(),
                v.version.runtime().id(),
                v.version.key(),
                started,
                outcome.loadUs() / 1000);
        Sends sends = new Sends();
        synchronized (lock) {
            worker.startDone();
            worker.capacity = worker.connection.hello().concurrency();
            worker.idleSinceNanos = System.nanoTime();
            if (!worker.exited) {
                v.workers.add(worker);
            }
            dispatch(v, sends);
            startSpare(SpareKind.of(v.version));
        }
        sends.run();
    }

    /**
     * A pool thread: this worker will not run the version. Unless another worker of it runs or
     * starts, the version's waiting tasks fail, and so do new ones for {@link #FAILURE_MEMORY}.
     */
    private void startFailed(PooledWorker worker, WorkerFailureKind kind, String message) {
        Versioned v = worker.version;
        List<Task> failed;
        Sends sends = new Sends();
        synchronized (lock) {
            worker.startDone();
            if (worker.connection == null) {
                worker.release(); // no process: no exit will count it out
            }
            if (v.workers.isEmpty() && v.starting == 0) {
                v.failedKind = kind;
                v.failedMessage = message;
                v.failedAtNanos = System.nanoTime();
                failed = new ArrayList<>(v.waiting);
                v.waiting.clear();
            } else {
                failed = List.of(); // other workers of it run; they take the waiting tasks
            }
            dispatchStarving(sends);
        }
        for (Task t : failed) {
            t.completed(failure(t, kind, message));
        }
        sends.run();
    }

    private void dispatchStarving(Sends sends) {
        for (Versioned s : new ArrayList<>(starving)) {
            dispatch(s, sends);
        }
    }

    /** The sweeper: stops workers idle for the idle time; forgets versions with nothing left. */
    private void stopIdle() {
        long cutoff = System.nanoTime() - settings.idleStop().toNanos();
        List<PooledWorker> idle = new ArrayList<>();
        synchronized (lock) {
            for (Versioned v : versions.values()) {
                for (PooledWorker w : v.workers) {
                    if (w.idle() && w.idleSinceNanos - cutoff < 0) {
                        w.retire();
                        idle.add(w);
                    }
                }
            }
            versions.values()
                    .removeIf(
                            v ->
                                    v.workers.isEmpty()
                                            && v.starting == 0
                                            && v.waiting.isEmpty()
                                            && !v.rememberingFailure());
            for (Spare spare : new ArrayList<>(spares.values())) {
                if (spare.ready && spare.readySinceNanos - cutoff < 0) {
                    LOG.info("stopping spare worker {}: idle", spare.id);
                    spare.discard("idle for " + settings.idleStop().toSeconds() + " s");
                }
            }
        }
        for (PooledWorker w : idle) {
            LOG.info("stopping worker {} of {}: idle", w.id, w.version.version.key());
            w.stop("idle for " + settings.idleStop().toSeconds() + " s");
        }
    }

    private static Completion failure(Task task, WorkerFailureKind kind, String message) {
        return new Completion(
                task.invocationId(),
                new Outcome.Failure(kind, message, null, 0),
                List.of(),
                List.of(),
                List.of());
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The workers a spare can stand in for: same runtime, memory limit and concurrency. */
    record SpareKind(WorkerRuntime runtime, int memoryMb, int concurrency) {
        static SpareKind of(Version v) {
            return new SpareKind(v.runtime(), v.memoryMb(), v.workerConcurrency());
        }
    }

    /**
     * A worker started ahead of need, with nothing loaded, that the next version of its kind adopts
     * (it then is that version's {@link PooledWorker}, and never runs another). Until then it
     * counts against the pool's bounds like a worker.
     */
    private final class Spare implements WorkerListener {
        final SpareKind kind;
        final String id;
        volatile WorkerConnection connection; // set once started
        volatile PooledWorker adopter; // set once, under the lock
        boolean ready; // guarded by the pool's lock, as are the fields below
        long readySinceNanos;
        boolean released;

        Spare(SpareKind kind, String id) {
            this.kind = kind;
            this.id = id;
        }

        /** A pool thread: starts the process and waits for its HELLO. */
        void launch() {
            WorkerConnection started;
            try {
                started =
                        launcher.start(
                                WorkerConfig.builder(kind.runtime(), sdkHome)
                                        .setWorkerId(id)
                                        .setConcurrency(kind.concurrency())
                                        .setMemoryMb(kind.memoryMb())
                                        .setHelloTimeout(settings.helloTimeout())
                                        .build(),
                                this);
            } catch (WorkerStartException | RuntimeException e) {
                LOG.warn("spare worker {} did not start: {}", id, e.getMessage());
                synchronized (lock) {
                    release();
                }
                return;
            }
            boolean unwanted;
            synchronized (lock) {
                connection = started;
                unwanted = released || closed;
                if (!unwanted) {
                    ready = true;
                    readySinceNanos = System.nanoTime();
                }
            }
            if (unwanted) {
                started.stop("no longer needed");
            }
        }

        /** Under the lock: becomes the worker of {@code v}, its count and memory with it. */
        PooledWorker adoptedBy(Versioned v) {
            PooledWorker worker = new PooledWorker(v, id);
            worker.connection = connection;
            worker.spareWaitedNanos = System.nanoTime() - readySinceNanos;
            adopter = worker;
            return worker;
        }

        /** Under the lock: stopped before anyone adopted it (room, idle, the job stopping). */
        void discard(String reason) {
            release();
            WorkerConnection c = connection;
            if (c != null) {
                try {
                    starters.execute(() -> c.stop(reason));
                } catch (RejectedExecutionException e) {
                    c.stop(reason);
                }
            }
        }

        /** Under the lock: out of the pool; its count and memory are free again; once. */
        private void release() {
            spares.remove(kind, this);
            if (!released) {
                released = true;
                workers--;
                memoryInUseMb -= kind.memoryMb();
            }
        }

        @Override
        public void onResults(List<Completion> completions) {
            PooledWorker worker = adopter; // only an adopted spare is given work
            if (worker != null) {
                worker.onResults(completions);
            }
        }

        @Override
        public void onProgress(Progress progress) {
            PooledWorker worker = adopter;
            if (worker != null) {
                worker.onProgress(progress);
            }
        }

        @Override
        public void onWorkerExit(WorkerExit exit) {
            PooledWorker worker;
            synchronized (lock) {
                worker = adopter;
                if (worker == null) {
                    release();
                }
            }
            if (worker != null) {
                worker.onWorkerExit(exit);
            } else if (!exit.requested()) {
                LOG.warn(
                        "spare worker {} exited with code {}: {}",
                        id,
                        exit.exitCode(),
                        exit.reason());
            }
        }
    }

    /** What one version has in the pool. Guarded by the pool's lock. */
    private final class Versioned {
        final Version version;
        final ArrayDeque<Task> waiting = new ArrayDeque<>();
        final List<PooledWorker> workers = new ArrayList<>(1);
        final Pace pace;
        CodeSource code;
        int starting;
        WorkerFailureKind failedKind;
        String failedMessage;
        long failedAtNanos;

        Versioned(Version version) {
            this.version = version;
            this.pace = new Pace(version.runtime().fastDepth());
        }

        boolean rememberingFailure() {
            return failedKind != null
                    && System.nanoTime() - failedAtNanos < FAILURE_MEMORY.toNanos();
        }

        /** The failure a task gets at once, when the version failed to start a moment ago. */
        Completion refusal(Task task) {
            if (failedKind == null) {
                return null;
            }
            if (!rememberingFailure()) {
                failedKind = null;
                return null;
            }
            return failure(task, failedKind, failedMessage);
        }

        boolean waitingFitsStarting() {
            return waiting.size() <= starting * version.workerConcurrency();
        }
    }

    /** One worker in the pool. */
    private final class PooledWorker implements WorkerListener, Worker {
        final Versioned version;
        final String id;
        final Map<String, Task> running = new HashMap<>(); // guarded by the pool's lock
        volatile WorkerConnection connection;

        /** How long it waited as a spare before this version took it; -1: started for it. */
        long spareWaitedNanos = -1;

        int capacity; // guarded by the pool's lock, as are the fields below
        long idleSinceNanos;
        boolean exited;
        boolean retired;
        private boolean started;
        private boolean released;

        PooledWorker(Versioned version, String id) {
            this.version = version;
            this.id = id;
        }

        boolean idle() {
            return running.isEmpty() && !retired && !exited;
        }

        /** Under the lock: moves as many waiting tasks as fit into this worker. */
        void take(ArrayDeque<Task> waiting, Sends sends) {
            if (exited || retired) {
                return;
            }
            List<Task> batch = null;
            int room = version.pace.depth(capacity);
            while (running.size() < room && !waiting.isEmpty()) {
                Task t = waiting.poll();
                if (batch == null) {
                    batch = new ArrayList<>();
                }
                batch.add(t);
                running.put(t.invocationId(), t);
            }
            if (batch != null) {
                sends.add(this, batch);
            }
        }

        /** Under the lock: no more work for it; it is being stopped. */
        void retire() {
            retired = true;
        }

        /** Under the lock: it no longer counts as starting (loaded, failed or exited); once. */
        void startDone() {
            if (!started) {
                started = true;
                version.starting--;
            }
        }

        /** Under the lock: its count and memory are free again; once. */
        void release() {
            if (!released) {
                released = true;
                workers--;
                memoryInUseMb -= version.version.memoryMb();
            }
        }

        /** Outside the lock. */
        void send(List<Task> batch) {
            List<Invoke> invokes = new ArrayList<>(batch.size());
            for (Task t : batch) {
                invokes.add(t.invoke());
                t.handedTo(this);
            }
            try {
                connection.invoke(invokes);
            } catch (IllegalStateException e) {
                // it is exiting: the tasks go back to the front of the line, for another worker
                // (never this one again: its exit counts it out)
                Sends sends = new Sends();
                synchronized (lock) {
                    retired = true;
                    for (int i = batch.size() - 1; i >= 0; i--) {
                        running.remove(batch.get(i).invocationId());
                        version.waiting.addFirst(batch.get(i));
                    }
                    dispatch(version, sends);
                }
                sends.run();
            }
        }

        @Override
        public void onResults(List<Completion> completions) {
            List<Task> tasks = new ArrayList<>(completions.size());
            Sends sends = new Sends();
            synchronized (lock) {
                for (Completion c : completions) {
                    tasks.add(running.remove(c.invocationId()));
                    version.pace.record(c.outcome());
                }
                if (running.isEmpty()) {
                    idleSinceNanos = System.nanoTime();
                }
                dispatch(version, sends);
                if (running.isEmpty() && !starving.isEmpty()) {
                    dispatchStarving(sends);
                }
            }
            sends.run();
            for (int i = 0; i < completions.size(); i++) {
                Task t = tasks.get(i);
                if (t == null) {
                    LOG.warn("worker {}: a result for {} it was not given", id, completions.get(i));
                } else {
                    t.completed(completions.get(i));
                }
            }
        }

        @Override
        public void onProgress(Progress progress) {
            Task t;
            synchronized (lock) {
                t = running.get(progress.id());
            }
            if (t != null) {
                t.progress(progress);
            }
        }

        @Override
        public void onWorkerExit(WorkerExit exit) {
            List<Task> orphans;
            Sends sends = new Sends();
            synchronized (lock) {
                exited = true;
                version.workers.remove(this);
                startDone();
                release();
                orphans = new ArrayList<>(running.values());
                running.clear();
                dispatch(version, sends);
                dispatchStarving(sends);
            }
            if (!exit.requested()) {
                LOG.warn(
                        "worker {} of {} exited with code {}: {}",
                        id,
                        version.version.key(),
                        exit.exitCode(),
                        exit.reason());
            }
            for (Task t : orphans) { // the connection completes every attempt it took first
                t.completed(failure(t, WorkerFailureKind.WORKER_EXITED, exit.reason()));
            }
            sends.run();
        }

        @Override
        public void kill(String reason) {
            WorkerConnection c = connection;
            if (c != null) {
                c.kill(reason);
            }
        }

        void stop(String reason) {
            WorkerConnection c = connection;
            if (c != null) {
                c.stop(reason);
            }
        }

        @Override
        public String toString() {
            return "worker " + id + " of " + version.version.key();
        }
    }

    /** Batches to hand to workers once the lock is released. */
    private static final class Sends {
        private List<PooledWorker> to;
        private List<List<Task>> batches;

        void add(PooledWorker worker, List<Task> batch) {
            if (to == null) {
                to = new ArrayList<>(1);
                batches = new ArrayList<>(1);
            }
            to.add(worker);
            batches.add(batch);
        }

        void run() {
            if (to == null) {
                return;
            }
            for (int i = 0; i < to.size(); i++) {
                to.get(i).send(batches.get(i));
            }
        }
    }
}
