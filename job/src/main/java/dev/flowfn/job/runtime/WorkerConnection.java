package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.FrameCodec;
import dev.flowfn.job.runtime.protocol.FrameDecoder;
import dev.flowfn.job.runtime.protocol.Hello;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Load;
import dev.flowfn.job.runtime.protocol.LoadFailed;
import dev.flowfn.job.runtime.protocol.Loaded;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Message;
import dev.flowfn.job.runtime.protocol.Ping;
import dev.flowfn.job.runtime.protocol.Pong;
import dev.flowfn.job.runtime.protocol.Progress;
import dev.flowfn.job.runtime.protocol.ProtocolException;
import dev.flowfn.job.runtime.protocol.Result;
import dev.flowfn.job.runtime.protocol.Stop;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job's side of one worker session (runtime protocol v2, {@code sdk/PROTOCOL.md}): {@link
 * #load} a function version, {@link #invoke} batches of invocations, {@link #ping}, {@link #stop}
 * or {@link #kill}. Results come back to a {@link WorkerListener}, in batches. At most {@link
 * WorkerRuntime#fastDepth} times the worker's HELLO {@code concurrency} invocations are outstanding
 * at the worker (it runs {@code concurrency} of them at once and queues the rest; the pool decides
 * how deep to go); the others wait in this connection, never in the caller.
 *
 * <p>Threads: {@link #open} blocks its caller until the worker says HELLO (at most the hello
 * timeout). After that no method blocks on the worker: {@link #load}, {@link #invoke}, {@link
 * #ping}, {@link #stop} and {@link #kill} may be called from any thread (the operator's task
 * thread) and only queue frames. One writer thread per connection writes them to the socket; one
 * reader thread per connection reads the worker's frames (and writes the INVOKEs that the results
 * of a read make room for itself when the socket has room for them, see {@link #socketHasRoom}),
 * calls the listener and completes the futures of {@link #load} and {@link #ping} (their dependent
 * stages run there too, unless added after completion: keep them short). {@link #stop} kills a
 * worker that outlives its grace period from the JDK's delayed executor. When the worker exits, is
 * killed or breaks the protocol, the reader thread fails every invocation it still holds with
 * {@link WorkerFailureKind#WORKER_EXITED}, then calls {@link WorkerListener#onWorkerExit} once; an
 * {@link #invoke} that races with that either completes that way or throws {@link
 * IllegalStateException}.
 */
public final class WorkerConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkerConnection.class);
    private static final long EOF_EXIT_WAIT_MILLIS = 2000;

    private final WorkerProcess process;
    private final SocketChannel channel;
    private final FrameDecoder decoder;
    private final Hello hello;
    private final Duration coldStart;
    private final WorkerListener listener;
    private final CompletableFuture<WorkerExit> exited = new CompletableFuture<>();
    private final Thread reader;
    private final FrameWriter writer;

    /**
     * Whether both sides speak protocol 2, so the worker gets INVOKE_COMPACT rather than INVOKE.
     */
    private final boolean compact;

    /** INVOKE frames the reader thread queued while it handles one read (its own, no lock). */
    private final List<ByteBuffer> readerFrames;

    /**
     * RESULTs the reader thread read and has not yet taken out of the window (its own): a run of
     * them is finished under one lock ({@link #finishResults}), before the next frame of another
     * type and at the end of each read.
     */
    private final List<Result> readerResults = new ArrayList<>();

    private static final long MIB = 1024 * 1024;

    /**
     * The most invocations outstanding at the worker for the reader thread to write INVOKEs itself.
     * Each write the worker has not read yet costs the socket's send buffer about 770 bytes besides
     * its own (on Linux, a Unix socket of the default 208 KiB takes 278 writes of one byte, 167 of
     * 200 bytes): with at most 64 such writes and {@link #directWriteBytes}, it stays under half.
     */
    private static final int DIRECT_WRITE_FRAMES = 64;

    /**
     * The most INVOKE bytes outstanding at the worker for the reader thread to write INVOKEs
     * itself: a quarter of the send buffer size the socket reports (Linux reports half of what a
     * Unix socket holds), 0 when it does not say (never then).
     */
    private final long directWriteBytes;

    private final Object lock = new Object();
    private final InvocationWindow window; // guarded by lock, as are the fields below
    private final Map<LoadKey, CompletableFuture<LoadOutcome>> loads = new HashMap<>();
    private final Map<Long, CompletableFuture<Duration>> pings = new HashMap<>();
    private final Map<Long, Long> pingSentNanos = new HashMap<>();
    private long lastNonce;
    private String closedBecause;

    private volatile String requestedExit;
    private volatile long lastHeardNanos;

    private WorkerConnection(
            WorkerProcess process,
            SocketChannel channel,
            FrameDecoder decoder,
            Hello hello,
            WorkerListener listener) {
        this.process = process;
        this.channel = channel;
        this.decoder = decoder;
        this.hello = hello;
        this.compact = Math.min(hello.protocol(), process.config().protocol()) >= 2;
        this.listener = listener;
        this.lastHeardNanos = System.nanoTime();
        this.coldStart = Duration.ofNanos(lastHeardNanos - process.startedNanos());
        this.window =
                new InvocationWindow(
                        hello.concurrency() * process.config().runtime().fastDepth(),
                        outstandingBytes(process.config().memoryMb()));
        String name = "flowfn-worker-" + process.config().workerId();
        this.reader = new Thread(this::readLoop, name + "-reader");
        this.readerFrames = new ArrayList<>();
        this.writer = new FrameWriter(channel, name);
        this.directWriteBytes = sendBufferBytes(channel, process) / 4;
        reader.setDaemon(true);
    }

    private static long sendBufferBytes(SocketChannel channel, WorkerProcess process) {
        try {
            return channel.getOption(StandardSocketOptions.SO_SNDBUF);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("{}: no send buffer size: {}", process.describe(), e.toString());
            return 0;
        }
    }

    /**
     * Starts a worker and waits for its HELLO.
     *
     * @throws WorkerStartException when it cannot start, exits or does not say HELLO in time; the
     *     message has the tail of its stderr
     */
    public static WorkerConnection open(WorkerConfig config, WorkerListener listener)
            throws WorkerStartException {
        long deadline = System.nanoTime() + config.helloTimeout().toNanos();
        WorkerProcess process = WorkerProcess.start(config);
        try {
            SocketChannel channel = process.accept(deadline);
            FrameDecoder decoder = FrameCodec.decoder();
            Hello hello = process.awaitHello(channel, decoder, deadline);
            WorkerConnection connection =
                    new WorkerConnection(process, channel, decoder, hello, listener);
            connection.writer.start();
            connection.reader.start();
            LOG.info(
                    "{} said HELLO after {} ms: sdk {}, concurrency {}",
                    process.describe(),
                    connection.coldStart.toMillis(),
                    hello.sdk(),
                    hello.concurrency());
            return connection;
        } catch (WorkerStartException e) {
            process.kill();
            process.awaitExit(EOF_EXIT_WAIT_MILLIS);
            process.deleteFiles();
            throw e;
        }
    }

    /**
     * Sends LOAD for a function version (again only if no load of it is pending). INVOKEs of it may
     * follow at once: the worker runs them when the load is done.
     *
     * @return completes on the reader thread with LOADED, LOAD_FAILED ({@code CODE_LOAD}), or
     *     {@code WORKER_EXITED} if the worker goes away first
     * @throws IllegalStateException when the worker has exited
     */
    public CompletableFuture<LoadOutcome> load(
            String function,
            int version,
            String handler,
            Path codeDir,
            int memoryMb,
            Map<String, String> env) {
        Load load =
                new Load(
                        function,
                        version,
                        handler,
                        codeDir.toAbsolutePath().toString(),
                        memoryMb,
                        env);
        LoadKey key = new LoadKey(function, version);
        ByteBuffer frame = FrameCodec.encodeToBuffer(load.toFrame());
        synchronized (lock) {
            checkOpen();
            CompletableFuture<LoadOutcome> pending = loads.get(key);
            if (pending == null) {
                pending = new CompletableFuture<>();
                loads.put(key, pending);
                writer.send(frame);
            }
            return pending;
        }
    }

    /**
     * Hands a batch of invocations to the worker: those that fit its window go out now (in one
     * write), the rest wait here. Each completes once, through {@link WorkerListener#onResults}.
     *
     * @throws IllegalArgumentException when an id is already in flight here, or a frame would be
     *     over 64 MiB (nothing is taken)
     * @throws IllegalStateException when the worker has exited (nothing is taken)
     */
    public void invoke(List<Invoke> batch) {
        List<ByteBuffer> frames = new ArrayList<>(batch.size());
        for (Invoke invoke : batch) { // outside the lock
            frames.add(
                    compact
                            ? FrameCodec.encodeInvokeCompact(invoke)
                            : FrameCodec.encodeInvoke(invoke));
        }
        synchronized (lock) {
            checkOpen();
            send(window.admit(batch, frames));
        }
    }

    /**
     * Sends PING.
     *
     * @return completes with the round trip when the PONG arrives (on the reader thread), or
     *     exceptionally when the worker exits first; the caller applies its own timeout
     */
    public CompletableFuture<Duration> ping() {
        synchronized (lock) {
            checkOpen();
            long nonce = ++lastNonce;
            CompletableFuture<Duration> pong = new CompletableFuture<>();
            pings.put(nonce, pong);
            pingSentNanos.put(nonce, System.nanoTime());
            writer.send(FrameCodec.encodeToBuffer(new Ping(nonce).toFrame()));
            return pong;
        }
    }

    /**
     * Sends STOP; kills the worker if it has not exited after the config's stop grace. Outstanding
     * invocations fail with {@code WORKER_EXITED}.
     *
     * @return completes when the session has ended (after {@link WorkerListener#onWorkerExit})
     */
    public CompletableFuture<WorkerExit> stop(String reason) {
        synchronized (lock) {
            if (closedBecause == null) {
                if (requestedExit == null) {
                    requestedExit = "stopped: " + reason;
                }
                writer.send(FrameCodec.encodeToBuffer(new Stop(reason).toFrame()));
            }
        }
        long grace = process.config().stopGrace().toMillis();
        CompletableFuture.delayedExecutor(grace, TimeUnit.MILLISECONDS)
                .execute(
                        () -> {
                            if (!exited.isDone()) {
                                kill("it did not exit within " + grace + " ms of STOP");
                            }
                        });
        return exited.copy();
    }

    /**
     * Kills the worker process at once (what a missed deadline or PONG does: the CPU comes back
     * whatever the handler does). Its outstanding and waiting invocations fail with {@code
     * WORKER_EXITED}, the reason and the exit code in their message.
     */
    public void kill(String reason) {
        requestedExit = "killed by the job: " + reason;
        process.kill();
        closeChannel();
    }

    /** Stops the worker and waits for the end of the session (at most the grace and a second). */
    @Override
    public void close() {
        CompletableFuture<WorkerExit> done = stop("closed");
        try {
            done.get(process.config().stopGrace().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill("interrupted while closing");
        } catch (Exception e) {
            kill("closing: " + e);
        }
    }

    /** What the worker said in HELLO (its concurrency sets this connection's window). */
    public Hello hello() {
        return hello;
    }

    /** From the process start to its HELLO. */
    public Duration coldStart() {
        return coldStart;
    }

    /** How long since the worker last sent anything: PING it when this grows. */
    public Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    public long pid() {
        return process.pid();
    }

    /** Invocations sent and not yet answered. */
    public int outstanding() {
        synchronized (lock) {
            return window.outstandingCount();
        }
    }

    /** Invocations waiting here for room at the worker. */
    public int waiting() {
        synchronized (lock) {
            return window.waitingCount();
        }
    }

    /** Completes when the session has ended (after {@link WorkerListener#onWorkerExit}). */
    public CompletableFuture<WorkerExit> exited() {
        return exited.copy();
    }

    @Override
    public String toString() {
        return process.describe();
    }

    /**
     * The most INVOKE bytes outstanding at a worker: a quarter of its memory limit (64 MiB without
     * one), at least 1 MiB. The worker holds what it has not run yet in its own memory.
     */
    static long outstandingBytes(int memoryMb) {
        long limit = memoryMb > 0 ? memoryMb * MIB / 4 : 64 * MIB;
        return Math.max(MIB, limit);
    }

    private void checkOpen() {
        if (closedBecause != null) {
            throw new IllegalStateException(closedBecause + "; start a new worker");
        }
    }

    /**
     * Queues INVOKE frames; the writer sends all it finds queued in one gathering write. The caller
     * holds the lock, so the window's order is kept. On the reader thread they wait in {@link
     * #readerFrames} until the read it handles is done: one write (by the reader itself, or by the
     * writer after one hand-over) per read rather than one per result. (Frames of other threads may
     * overtake them; the window holds invocations that may run in any order, one per partition key
     * at most.)
     */
    private void send(List<InvocationWindow.Attempt> attempts) {
        boolean reading = Thread.currentThread() == reader;
        for (InvocationWindow.Attempt attempt : attempts) {
            if (reading) {
                readerFrames.add(attempt.frame);
            } else {
                writer.send(attempt.frame);
            }
        }
    }

    private void readLoop() {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        // results taken out of the window and not yet delivered: finish delivers them if a later
        // frame of the same read ends the session
        List<Completion> done = new ArrayList<>();
        String reason;
        try {
            while (true) {
                buf.clear();
                if (channel.read(buf) < 0) {
                    reason = "it closed its socket";
                    break;
                }
                lastHeardNanos = System.nanoTime();
                decoder.pushMessages(buf.flip(), message -> handle(message, done));
                finishResults(done);
                if (!done.isEmpty()) {
                    deliver(List.copyOf(done));
                    done.clear();
                }
                if (!readerFrames.isEmpty()) {
                    if (!writer.writeNow(readerFrames, this::socketHasRoom)) {
                        writer.sendAll(readerFrames);
                    }
                    readerFrames.clear();
                }
            }
        } catch (ProtocolException e) {
            reason = "it broke the protocol: " + e.getMessage();
            process.kill();
        } catch (IOException e) {
            reason = "its socket failed: " + e;
        } catch (RuntimeException e) {
            LOG.error("{}: reading its frames failed", process.describe(), e);
            reason = "the job failed reading its frames: " + e;
            process.kill();
        }
        finishResults(done); // those read before a bad frame keep their outcomes
        finish(reason, done);
    }

    /**
     * Whether the reader thread may write INVOKEs itself rather than wake the writer thread: only
     * when the write cannot block, for a reader blocked in a write while the worker blocks writing
     * its results (which this thread reads) would be stuck for good. Asked while no other thread
     * can write. The bytes the worker has not read yet are at most the INVOKE frames of the
     * outstanding invocations (these frames included: the window counts them when it sends them),
     * besides a few small frames (LOAD, PING). With few and small ones outstanding, they fit well
     * within the socket's send buffer, kernel overhead included.
     */
    private boolean socketHasRoom() {
        synchronized (lock) {
            return window.outstandingCount() <= DIRECT_WRITE_FRAMES
                    && window.outstandingBytes() <= directWriteBytes;
        }
    }

    private void handle(Message message, List<Completion> done) throws ProtocolException {
        if (message instanceof Result result) {
            readerResults.add(result);
            return;
        }
        finishResults(done); // a frame after a RESULT finds its invocation finished
        if (message instanceof Log log) {
            InvocationWindow.Attempt attempt = attempt(log, log.id());
            if (attempt != null) {
                attempt.add(log);
            }
        } else if (message instanceof Progress progress) {
            InvocationWindow.Attempt attempt = attempt(progress, progress.id());
            if (attempt != null) {
                attempt.add(progress);
                try {
                    listener.onProgress(progress);
                } catch (RuntimeException e) {
                    LOG.warn("{}: the listener failed on a progress report", process.describe(), e);
                }
            }
        } else if (message instanceof Emit emit) {
            InvocationWindow.Attempt attempt = attempt(emit, emit.id());
            if (attempt != null) {
                attempt.add(emit);
            }
        } else if (message instanceof Loaded loaded) {
            loadAnswered(new LoadKey(loaded.function(), loaded.version()))
                    .complete(
                            new LoadOutcome(
                                    loaded.function(),
                                    loaded.version(),
                                    loaded.loadUs(),
                                    null,
                                    null));
        } else if (message instanceof LoadFailed failed) {
            loadAnswered(new LoadKey(failed.function(), failed.version()))
                    .complete(
                            new LoadOutcome(
                                    failed.function(),
                                    failed.version(),
                                    0,
                                    WorkerFailureKind.CODE_LOAD,
                                    failed.message()));
        } else if (message instanceof Pong pong) {
            CompletableFuture<Duration> answered;
            Long sent;
            synchronized (lock) {
                answered = pings.remove(pong.nonce());
                sent = pingSentNanos.remove(pong.nonce());
            }
            if (answered == null) {
                ignored(message, "nonce " + pong.nonce());
                return;
            }
            answered.complete(Duration.ofNanos(System.nanoTime() - sent));
        } else {
            throw new ProtocolException("a worker does not send " + message.type());
        }
    }

    /**
     * Takes the attempts of the RESULTs read so far out of the window, into {@code done}, and moves
     * waiting attempts into the room they free: one lock and one look at the window for a run of
     * results rather than one per result.
     */
    private void finishResults(List<Completion> done) {
        if (readerResults.isEmpty()) {
            return;
        }
        List<Result> strays = null;
        synchronized (lock) {
            for (Result result : readerResults) {
                InvocationWindow.Attempt attempt = window.finish(result.id());
                if (attempt != null) {
                    done.add(attempt.complete(outcome(result)));
                } else {
                    if (strays == null) {
                        strays = new ArrayList<>(1);
                    }
                    strays.add(result);
                }
            }
            send(window.next());
        }
        readerResults.clear();
        if (strays != null) {
            strays.forEach(r -> ignored(r, r.id()));
        }
    }

    /*
     * A frame of an invocation that is not outstanding (after its RESULT, which the protocol
     * forbids), or an answer to nothing, is dropped with a warning rather than taken as a protocol
     * error: killing the worker for it would fail every other invocation it runs.
     */

    /** The outstanding attempt a LOG, PROGRESS or EMIT belongs to; null for a stray one. */
    private InvocationWindow.Attempt attempt(Message message, String id) {
        synchronized (lock) {
            InvocationWindow.Attempt attempt = window.outstanding(id);
            if (attempt != null) {
                return attempt;
            }
        }
        ignored(message, id);
        return null;
    }

    private CompletableFuture<LoadOutcome> loadAnswered(LoadKey key) {
        CompletableFuture<LoadOutcome> pending;
        synchronized (lock) {
            pending = loads.remove(key);
        }
        if (pending == null) {
            LOG.warn("{}: dropped an answer to a LOAD of {} never sent", process.describe(), key);
            return new CompletableFuture<>();
        }
        return pending;
    }

    private void ignored(Message message, String of) {
        LOG.warn(
                "{}: dropped a {} of {}, which is not outstanding",
                process.describe(),
                message.type().name(),
                of);
    }

    static Outcome outcome(Result result) {
        if (result instanceof Result.Ok ok) {
            return new Outcome.Success(
                    ok.contentType(), ok.status(), ok.headers(), ok.data(), ok.durationUs());
        }
        Result.Error error = (Result.Error) result;
        WorkerFailureKind kind = WorkerFailureKind.ofWire(error.kind());
        String message =
                kind.name().equals(error.kind())
                        ? error.message()
                        : "[" + error.kind() + "] " + error.message();
        return new Outcome.Failure(kind, message, error.stack(), error.durationUs());
    }

    /** Ends the session on the reader thread: fails what is left, then tells the listener. */
    private void finish(String reason, List<Completion> answered) {
        String asked = requestedExit;
        long wait = asked != null ? process.config().stopGrace().toMillis() : EOF_EXIT_WAIT_MILLIS;
        int code = process.awaitExit(wait);
        String why = asked != null ? asked : reason;
        String exit = process.describe() + " exited with code " + code + " (" + why + ")";
        List<InvocationWindow.Attempt> left;
        List<CompletableFuture<LoadOutcome>> pendingLoads;
        List<CompletableFuture<Duration>> pendingPings;
        List<LoadKey> loadKeys;
        synchronized (lock) {
            closedBecause = exit;
            left = window.drain();
            loadKeys = new ArrayList<>(loads.keySet());
            pendingLoads = new ArrayList<>(loads.values());
            pendingPings = new ArrayList<>(pings.values());
            loads.clear();
            pings.clear();
            writer.end();
        }
        closeChannel();
        List<Completion> failed = new ArrayList<>(answered);
        String tail = process.stderrTail();
        WorkerFailureKind exitKind = WorkerExits.kind(code, tail, asked != null);
        for (InvocationWindow.Attempt attempt : left) {
            String when = attempt.sent() ? " while it ran " : " before it was sent ";
            failed.add(
                    attempt.complete(
                            new Outcome.Failure(
                                    attempt.sent() ? exitKind : WorkerFailureKind.WORKER_EXITED,
                                    exit + when + "invocation " + attempt.invoke.id(),
                                    null,
                                    0)));
        }
        if (!failed.isEmpty()) {
            deliver(failed);
        }
        for (int i = 0; i < pendingLoads.size(); i++) {
            LoadKey key = loadKeys.get(i);
            pendingLoads
                    .get(i)
                    .complete(
                            new LoadOutcome(
                                    key.function(),
                                    key.version(),
                                    0,
                                    WorkerFailureKind.WORKER_EXITED,
                                    exit + " before it answered LOAD"));
        }
        pendingPings.forEach(p -> p.completeExceptionally(new IOException(exit)));
        if (asked == null) {
            LOG.warn("{}; its stderr ends with:\n{}", exit, tail);
        }
        WorkerExit workerExit = new WorkerExit(code, why, asked != null, tail);
        try {
            listener.onWorkerExit(workerExit);
        } catch (RuntimeException e) {
            LOG.error("{}: the listener failed on its exit", process.describe(), e);
        }
        process.deleteFiles();
        exited.complete(workerExit);
    }

    private void deliver(List<Completion> completions) {
        try {
            listener.onResults(completions);
        } catch (RuntimeException e) {
            LOG.error(
                    "{}: the listener failed on {} results",
                    process.describe(),
                    completions.size(),
                    e);
        }
    }

    private void closeChannel() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("{}: closing its socket: {}", process.describe(), e.toString());
        }
    }

    private record LoadKey(String function, int version) {
        @Override
        public String toString() {
            return function + "@" + version;
        }
    }
}
