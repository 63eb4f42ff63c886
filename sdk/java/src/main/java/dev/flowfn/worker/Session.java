package dev.flowfn.worker;

import static dev.flowfn.worker.FrameWriter.header;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One connection to the job, from HELLO to STOP or end-of-file (sdk/PROTOCOL.md, "A session").
 *
 * <p>Threads: the thread that calls {@link #serve} reads frames, answers PING at once (even while
 * every invocation thread is busy) and hands LOADs and INVOKEs on. LOADs run in order on one loader
 * thread; an INVOKE waits for the LOAD of its version without holding a thread. INVOKEs run on a
 * pool of {@code concurrency} threads; more than that queue, in order (the job sends up to 8 times
 * {@code concurrency} to a fast function). Every thread sends through the {@link FrameWriter}. All
 * of them are daemons: the caller ends the process when {@link #serve} returns, whatever handlers
 * still run.
 *
 * <p>A fast version runs inline, as in the Python worker: its INVOKEs run on the reading thread
 * itself, one at a time besides what runs in the pool, which spares the hand-off to a pool thread
 * and back; what the reading thread sends while it handles the frames of one read goes out in
 * writes of {@value #FLUSH_FRAMES} frames or fewer. It does not wait for room in the pool: a job
 * that keeps the pool full would keep a fast version off the reading thread for good. A version
 * runs in the pool until {@value #FAST_RUNS} runs in a row there took under the fast limit by their
 * own doing ({@code FLOWFN_WORKER_FAST_LIMIT_US}, 1 ms by default); one inline run that takes
 * longer by its own doing ({@link OwnTime}: not counting its waits for a core on a busy machine)
 * sends it back. A handler that then blocks holds up the frames behind it, PING included, until it
 * returns (or its deadline kills the worker). An interrupt flag it leaves set is cleared, as on a
 * pool thread; an interrupt that another thread sends the reading thread later closes the socket
 * (Java's channels do that), which ends the worker: its invocations are retried.
 */
final class Session {

    /** The protocol version this worker speaks. */
    static final int PROTOCOL_VERSION = 2;

    /** Exit status of a session that ended with STOP or end-of-file. */
    static final int EXIT_OK = 0;

    /** Exit status after a protocol error. */
    static final int EXIT_PROTOCOL_ERROR = 2;

    /** Fast runs in a row in the pool after which a version runs inline. */
    static final int FAST_RUNS = 64;

    /**
     * Frames the reading thread sends before they go out, even with more of a read to handle: the
     * job refills its window while the rest runs.
     */
    static final int FLUSH_FRAMES = 32;

    private final SocketChannel channel;
    private final WorkerOptions options;
    private final PrintStream stderr;
    private final FrameWriter out;
    private final FunctionLoader loader;

    /** Judges inline runs; the reading thread's. */
    private final OwnTime ownTime = new OwnTime();

    /** Judges pool runs: each pool thread's own (the file it reads describes one thread). */
    private final ThreadLocal<OwnTime> poolOwnTime = ThreadLocal.withInitial(OwnTime::new);

    /** By {@code function@version}; only the reading thread touches the map. */
    private final Map<String, LoadSlot> functions = new HashMap<>();

    private final ThreadPoolExecutor loads;
    private final ThreadPoolExecutor invocations;

    Session(
            SocketChannel channel,
            WorkerOptions options,
            FunctionLoader loader,
            PrintStream stderr) {
        this.channel = channel;
        this.options = options;
        this.stderr = stderr;
        this.loader = loader;
        this.out = new FrameWriter(channel);
        this.loads = pool(1, "flowfn-load");
        this.invocations = pool(options.concurrency(), "flowfn-invoke");
    }

    /** Says HELLO, then serves frames until STOP or end-of-file; returns the exit status. */
    int serve() {
        out.start();
        Map<String, Object> hello =
                header(
                        "protocol", PROTOCOL_VERSION,
                        "runtime", "java",
                        "sdk", JavaWorker.version(),
                        "pid", ProcessHandle.current().pid(),
                        "concurrency", options.concurrency());
        if (options.workerId() != null) {
            hello.put("workerId", options.workerId());
        }
        out.send(MessageType.HELLO, hello);
        out.holdFramesOf(Thread.currentThread());
        FrameReader in = new FrameReader(channel);
        while (true) {
            Frame frame;
            try {
                if (!in.hasFrame() || out.heldCount() >= FLUSH_FRAMES) {
                    out.flushHeld(); // before a read that may block, or the job waits long
                }
                frame = in.next();
            } catch (EOFException e) {
                return EXIT_OK; // the job is gone: never outlive it
            } catch (IOException e) {
                stderr.println("flowfn-worker: reading from the job failed: " + e);
                return EXIT_OK;
            } catch (ProtocolException e) {
                return protocolError(e);
            }
            if (frame == null || frame.type() == MessageType.STOP) {
                out.flushHeld();
                return EXIT_OK;
            }
            try {
                handle(frame);
            } catch (ProtocolException e) {
                return protocolError(e);
            }
        }
    }

    private void handle(Frame frame) throws ProtocolException {
        switch (frame.type()) {
            case PING -> out.send(MessageType.PONG, header("nonce", frame.header().get("nonce")));
            case LOAD -> load(LoadRequest.of(frame));
            case INVOKE, INVOKE_COMPACT -> invoke(InvokeRequest.of(frame));
            default ->
                    throw new ProtocolException(
                            frame.type()
                                    + " is a message from a worker to the job, not to a worker");
        }
    }

    private int protocolError(ProtocolException e) {
        out.flushHeld();
        stderr.println("flowfn-worker: protocol error: " + e.getMessage());
        return EXIT_PROTOCOL_ERROR;
    }

    /** LOADED or LOAD_FAILED from the loader thread; INVOKEs of the version wait for it. */
    private void load(LoadRequest request) {
        LoadSlot slot = new LoadSlot();
        functions.put(request.key(), slot);
        loads.execute(new Load(request, slot));
    }

    private void invoke(InvokeRequest request) {
        LoadSlot slot = functions.get(request.key());
        if (slot == null) {
            unknown(request, "the job sent no LOAD for it (it sends LOAD before INVOKE)");
            return;
        }
        slot.dispatch(request, true);
    }

    private void unknown(InvokeRequest request, String why) {
        out.send(
                MessageType.RESULT,
                header(
                        "id",
                        request.id(),
                        "ok",
                        false,
                        "kind",
                        "UNKNOWN_FUNCTION",
                        "message",
                        "function "
                                + request.function()
                                + " version "
                                + request.version()
                                + " is not loaded in this worker; "
                                + why,
                        "stack",
                        null,
                        "durationUs",
                        0));
    }

    /**
     * A LOAD in progress or done, with the INVOKEs that wait for it (in the order they came). A
     * plain monitor rather than a CompletableFuture: its VarHandles cost a fresh JVM tens of
     * milliseconds.
     */
    private final class LoadSlot {
        private List<InvokeRequest> waiting = new ArrayList<>(); // null once settled
        private LoadedFunction function;
        private String failure;

        /** How many of the version's last runs in a row were fast, up to {@link #FAST_RUNS}. */
        private final AtomicInteger fastRuns = new AtomicInteger();

        /**
         * Starts the invocation now if the load is done, or once it is.
         *
         * @param reading whether the caller is the reading thread, which may run it inline
         */
        void dispatch(InvokeRequest request, boolean reading) {
            LoadedFunction f;
            String why;
            synchronized (this) {
                if (waiting != null) {
                    waiting.add(request);
                    return;
                }
                f = function;
                why = failure;
            }
            if (f != null && reading && runsInline()) {
                runInline(new Invocation(request, f, out, stderr));
            } else {
                start(request, f, why);
            }
        }

        void settle(LoadedFunction loaded, String loadFailure) {
            List<InvokeRequest> ready;
            synchronized (this) {
                function = loaded;
                failure = loadFailure;
                ready = waiting;
                waiting = null;
            }
            for (InvokeRequest request : ready) {
                start(request, loaded, loadFailure);
            }
        }

        private boolean runsInline() {
            return fastRuns.get() >= FAST_RUNS;
        }

        /**
         * On the reading thread: one run slow by its own doing ({@link OwnTime}) sends the version
         * back to the pool.
         */
        private void runInline(Invocation invocation) {
            long started = System.nanoTime();
            ownTime.beforeRun(started);
            invocation.run();
            long wallMicros = (System.nanoTime() - started) / 1_000;
            if (ownTime.micros(started, wallMicros, options.fastLimitUs())
                    >= options.fastLimitUs()) {
                fastRuns.set(0);
            }
        }

        private void start(InvokeRequest request, LoadedFunction f, String why) {
            if (f == null) {
                unknown(request, "it failed to load: " + why);
                return;
            }
            out.flushHeld(); // what ran inline before goes out first (nothing off the reader)
            Invocation invocation = new Invocation(request, f, out, stderr);
            invocations.execute(
                    () -> {
                        OwnTime own = poolOwnTime.get();
                        long started = System.nanoTime();
                        own.beforeRun(started);
                        try {
                            invocation.run();
                        } finally {
                            long wallMicros = (System.nanoTime() - started) / 1_000;
                            counted(own.micros(started, wallMicros, options.fastLimitUs()));
                        }
                    });
        }

        /** A pool run's own time counts towards running the version inline. */
        private void counted(long micros) {
            if (micros < options.fastLimitUs()) {
                fastRuns.updateAndGet(n -> Math.min(n + 1, FAST_RUNS));
            } else {
                fastRuns.set(0);
            }
        }
    }

    /** One LOAD, on the loader thread. */
    private final class Load implements Runnable {
        private final LoadRequest request;
        private final LoadSlot slot;

        Load(LoadRequest request, LoadSlot slot) {
            this.request = request;
            this.slot = slot;
        }

        @Override
        public void run() {
            long started = System.nanoTime();
            try {
                LoadedFunction function = loader.load(request);
                out.send(
                        MessageType.LOADED,
                        header(
                                "function", request.function(),
                                "version", request.version(),
                                "loadUs", (System.nanoTime() - started) / 1000));
                slot.settle(function, null);
            } catch (CodeLoadException e) {
                failed(e.getMessage(), e.getCause());
            } catch (OutOfMemoryError e) {
                OutOfMemory.exit();
            } catch (Throwable e) { // what user code threw in a way the loader does not expect
                OutOfMemory.exitIfCause(e);
                failed("loading " + request.handler() + " failed: " + e, e);
            }
        }

        private void failed(String message, Throwable cause) {
            if (cause != null) {
                stderr.println("[" + request.key() + " load] " + message);
                cause.printStackTrace(stderr);
            }
            out.send(
                    MessageType.LOAD_FAILED,
                    header(
                            "function",
                            request.function(),
                            "version",
                            request.version(),
                            "kind",
                            "CODE_LOAD",
                            "message",
                            message));
            slot.settle(null, message);
        }
    }

    private static ThreadPoolExecutor pool(int threads, String name) {
        // Threads start on demand: a worker that never invokes starts none.
        return new ThreadPoolExecutor(
                threads,
                threads,
                0,
                TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(),
                new DaemonThreads(name));
    }

    private static final class DaemonThreads implements ThreadFactory {
        private final String prefix;
        private final AtomicInteger count = new AtomicInteger();

        DaemonThreads(String prefix) {
            this.prefix = prefix;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
