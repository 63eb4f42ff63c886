package dev.flowfn.worker;

import static dev.flowfn.worker.FrameWriter.header;

import dev.flowfn.api.Context;
import dev.flowfn.api.FunctionLogger;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One attempt of an INVOKE, and the {@link Context} its handler sees: the handler's logs, progress
 * reports and emitted events become LOG, PROGRESS and EMIT frames tagged with the invocation's id,
 * sent while it runs; its RESULT comes last. After the RESULT nothing of it is sent: a late {@link
 * #emit} throws, late log lines and progress go to the worker's stderr (sdk/PROTOCOL.md, "A
 * session", step 5).
 *
 * <p>As in the in-TaskManager runtime: {@link #memoryMb} and {@link #env} are the function
 * version's, a record made with {@link OutgoingEvent#record} travels with its key (the event's
 * subject) as {@code key}, and a progress fraction outside 0..1 throws.
 *
 * <p>Threads: {@link #run} on a thread of the invocation pool, or on the reading thread for a fast
 * version ({@link Session}); the Context methods from any thread the handler uses (they take this
 * object's lock, which orders them before the RESULT).
 */
final class Invocation implements Context, Runnable {

    private final InvokeRequest request;
    private final LoadedFunction function;
    private final FrameWriter out;
    private final PrintStream stderr;
    private final FunctionLogger logger = new Logger();
    private boolean finished; // guarded by this

    Invocation(
            InvokeRequest request, LoadedFunction function, FrameWriter out, PrintStream stderr) {
        this.request = request;
        this.function = function;
        this.out = out;
        this.stderr = stderr;
    }

    @Override
    public void run() {
        try {
            runHandler();
        } catch (OutOfMemoryError e) {
            OutOfMemory.exit();
        }
    }

    private void runHandler() {
        long started = System.nanoTime();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(function.classLoader());
        Result result = null;
        Throwable thrown = null;
        try {
            result = function.handler().handle(request.event(), this);
        } catch (Throwable e) { // what the handler threw fails this attempt only
            thrown = e;
        } finally {
            finish();
            thread.setContextClassLoader(previous);
            Thread.interrupted(); // a flag the handler left set must not reach the next one
        }
        if (thrown != null) {
            OutOfMemory.exitIfCause(thrown);
            fail(
                    "HANDLER_ERROR",
                    HandlerFailure.message(thrown),
                    HandlerFailure.stack(thrown),
                    started);
            return;
        }
        if (result == null) {
            fail(
                    "BAD_RESULT",
                    "the handler returned null; return Result.empty() when there is nothing to"
                            + " return",
                    null,
                    started);
            return;
        }
        try {
            out.send(
                    MessageType.RESULT,
                    header(
                            "id", request.id(),
                            "ok", true,
                            "contentType", result.contentType().orElse(null),
                            "status", result.status(),
                            "headers", result.headers(),
                            "durationUs", micros(started)),
                    result.data());
        } catch (FrameTooLargeException e) {
            fail(
                    "BAD_RESULT",
                    "the result ("
                            + e.bytes()
                            + " bytes as a frame) is over the runtime protocol's limit of 64 MiB;"
                            + " return less, and put large outputs in the object store",
                    null,
                    started);
        }
    }

    private void fail(String kind, String message, String stack, long started) {
        out.send(
                MessageType.RESULT,
                header(
                        "id",
                        request.id(),
                        "ok",
                        false,
                        "kind",
                        kind,
                        "message",
                        message,
                        "stack",
                        stack,
                        "durationUs",
                        micros(started)));
    }

    private synchronized void finish() {
        finished = true;
    }

    private static long micros(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1000;
    }

    @Override
    public String functionName() {
        return request.function();
    }

    @Override
    public long functionVersion() {
        return request.version();
    }

    @Override
    public String invocationId() {
        return request.id();
    }

    @Override
    public int attempt() {
        return request.attempt();
    }

    @Override
    public int memoryMb() {
        return request.memoryMb() >= 0 ? request.memoryMb() : function.memoryMb();
    }

    @Override
    public Instant deadline() {
        return request.deadline();
    }

    @Override
    public FunctionLogger logger() {
        return logger;
    }

    @Override
    public Map<String, String> env() {
        return function.env();
    }

    /**
     * @throws IllegalStateException once the invocation has finished
     * @throws IllegalArgumentException when the event is too large for one frame
     */
    @Override
    public void emit(OutgoingEvent event) {
        Objects.requireNonNull(event, "event");
        String topic = event.topic().orElse(null);
        String subject = event.subject().orElse(null);
        Map<String, Object> h =
                header(
                        "id",
                        request.id(),
                        "type",
                        event.type(),
                        "subject",
                        topic == null ? subject : null,
                        "contentType",
                        event.contentType().orElse(null),
                        "topic",
                        topic,
                        "key",
                        topic == null ? null : subject);
        synchronized (this) {
            if (finished) {
                throw new IllegalStateException(
                        "invocation "
                                + request.id()
                                + " has finished; emit before the handler returns (wait for the"
                                + " threads it started)");
            }
            try {
                out.send(MessageType.EMIT, h, event.data());
            } catch (FrameTooLargeException e) {
                throw new IllegalArgumentException(
                        "the emitted "
                                + event
                                + " is over the runtime protocol's limit of 64 MiB; emit less,"
                                + " and put large payloads in the object store",
                        e);
            }
        }
    }

    /**
     * Sent at once as a PROGRESS frame (the job coalesces reports, as for every runtime).
     *
     * @throws IllegalArgumentException if {@code fraction} is outside 0..1 and not NaN
     */
    @Override
    public void progress(double fraction, String message) {
        Objects.requireNonNull(message, "message");
        boolean unknown = Double.isNaN(fraction);
        if (!unknown && (fraction < 0 || fraction > 1)) {
            throw new IllegalArgumentException( // as dev.flowfn.api.Progress.line says it
                    "progress fraction "
                            + fraction
                            + " is outside 0..1; pass done/total (e.g. 0.4 for 40%) or Double.NaN");
        }
        synchronized (this) {
            if (!finished) {
                out.send(
                        MessageType.PROGRESS,
                        header(
                                "id",
                                request.id(),
                                "fraction",
                                unknown ? null : fraction,
                                "message",
                                message,
                                "time",
                                System.currentTimeMillis()));
                return;
            }
        }
        late("progress", (unknown ? "" : fraction + " ") + message);
    }

    private void log(FunctionLogger.Level level, String message) {
        Objects.requireNonNull(level, "level");
        String text = String.valueOf(message);
        synchronized (this) {
            if (!finished) {
                try {
                    out.send(
                            MessageType.LOG,
                            header(
                                    "id", request.id(),
                                    "level", level.name(),
                                    "message", text,
                                    "time", System.currentTimeMillis()));
                } catch (FrameTooLargeException e) {
                    stderr.println(
                            level
                                    + " ["
                                    + this
                                    + "] a log line of "
                                    + text.length()
                                    + " characters, dropped: "
                                    + e.getMessage());
                }
                return;
            }
        }
        late(level.name(), text);
    }

    /** What the invocation says after its RESULT: on the worker's stderr, which the job logs. */
    private void late(String what, String text) {
        stderr.println(
                what
                        + " ["
                        + request.function()
                        + "@"
                        + request.version()
                        + " "
                        + request.id()
                        + ", after its result] "
                        + text);
    }

    @Override
    public String toString() {
        return "Invocation{"
                + request.id()
                + ", "
                + request.function()
                + "@"
                + request.version()
                + "}";
    }

    /** The handler's logger: lines become LOG frames of this invocation. */
    private final class Logger implements FunctionLogger {
        @Override
        public void log(Level level, String message) {
            Invocation.this.log(level, message);
        }
    }
}
