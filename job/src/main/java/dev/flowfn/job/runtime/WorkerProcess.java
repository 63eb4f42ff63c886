package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Frame;
import dev.flowfn.job.runtime.protocol.FrameDecoder;
import dev.flowfn.job.runtime.protocol.Hello;
import dev.flowfn.job.runtime.protocol.Message;
import dev.flowfn.job.runtime.protocol.MessageType;
import dev.flowfn.job.runtime.protocol.ProtocolException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One worker process and the Unix domain socket it connects to: a listening socket in a temp dir of
 * its own, the process started with {@code FLOWFN_WORKER_SOCKET}, {@code FLOWFN_WORKER_ID} and
 * {@code FLOWFN_WORKER_CONCURRENCY} in its environment, its stderr (and stdout) appended to a log
 * file. {@link WorkerConnection} runs the session over it.
 *
 * <p>Threads: {@link #start}, {@link #accept} and {@link #awaitHello} block the caller for at most
 * the hello timeout; {@link #kill}, {@link #exitCode} and {@link #stderrTail} may be called from
 * any thread.
 */
public final class WorkerProcess {

    private static final int TAIL_BYTES = 4096;
    private static final int TAIL_LINES = 20;
    private static final long POLL_MILLIS = 50;

    /** The runtime protocol version this job speaks. */
    public static final int PROTOCOL_VERSION = 2;

    /**
     * The oldest protocol a worker may speak: a worker of protocol 1 gets INVOKE, not
     * INVOKE_COMPACT.
     */
    public static final int OLDEST_PROTOCOL_VERSION = 1;

    private final WorkerConfig config;
    private final Path dir;
    private final Path socket;
    private final Path log;
    private final ServerSocketChannel server;
    private final Process process;
    private final long startedNanos;

    private WorkerProcess(
            WorkerConfig config,
            Path dir,
            Path socket,
            Path log,
            ServerSocketChannel server,
            Process process,
            long startedNanos) {
        this.config = config;
        this.dir = dir;
        this.socket = socket;
        this.log = log;
        this.server = server;
        this.process = process;
        this.startedNanos = startedNanos;
    }

    /**
     * Listens on a new socket and starts the worker.
     *
     * @throws WorkerStartException when the program cannot be run (naming it and the fix)
     */
    public static WorkerProcess start(WorkerConfig config) throws WorkerStartException {
        Path dir = null;
        ServerSocketChannel server = null;
        try {
            dir = Files.createTempDirectory("flowfn-worker-");
            Path socket = dir.resolve("w.sock");
            Path log = config.logFile().orElse(dir.resolve("worker.log"));
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            ProcessBuilder builder =
                    new ProcessBuilder(config.command())
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            var env = builder.environment();
            env.remove("FLOWFN_WORKER_ADDRESS");
            env.putAll(config.environment());
            env.put("FLOWFN_WORKER_SOCKET", socket.toString());
            env.put("FLOWFN_WORKER_ID", config.workerId());
            env.put("FLOWFN_WORKER_CONCURRENCY", Integer.toString(config.concurrency()));
            long started = System.nanoTime();
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new WorkerStartException(
                        "cannot run the "
                                + config.runtime().id()
                                + " worker '"
                                + String.join(" ", config.command())
                                + "': "
                                + e.getMessage()
                                + ". Check that "
                                + config.command().get(0)
                                + " is installed and on the PATH",
                        e);
            }
            process.getOutputStream().close(); // the worker reads its socket, never stdin
            return new WorkerProcess(config, dir, socket, log, server, process, started);
        } catch (WorkerStartException e) {
            closeQuietly(server);
            deleteDir(dir);
            throw e;
        } catch (IOException e) {
            closeQuietly(server);
            deleteDir(dir);
            throw new WorkerStartException(
                    "cannot listen for a " + config.runtime().id() + " worker: " + e, e);
        }
    }

    /**
     * Waits for the worker to connect, then stops listening.
     *
     * @param deadlineNanos on {@link System#nanoTime()}'s clock
     * @throws WorkerStartException when the worker exits first or the deadline passes (then it is
     *     killed), with its stderr tail
     */
    SocketChannel accept(long deadlineNanos) throws WorkerStartException {
        try (Selector selector = Selector.open()) {
            server.configureBlocking(false);
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (true) {
                SocketChannel channel = server.accept();
                if (channel != null) {
                    return channel;
                }
                checkAlive("before it connected to " + socket, deadlineNanos);
                selector.select(POLL_MILLIS);
            }
        } catch (IOException e) {
            if (e instanceof WorkerStartException w) {
                throw w;
            }
            throw new WorkerStartException("accepting the worker's connection failed: " + e, e);
        } finally {
            closeQuietly(server);
            try {
                Files.deleteIfExists(socket);
            } catch (IOException ignored) {
                // the temp dir goes at exit anyway
            }
        }
    }

    /**
     * @throws WorkerStartException when the process has exited, or (killing it) when the deadline
     *     has passed
     */
    void checkAlive(String when, long deadlineNanos) throws WorkerStartException {
        if (!process.isAlive()) {
            throw new WorkerStartException(
                    describe()
                            + " exited with code "
                            + process.exitValue()
                            + " "
                            + when
                            + tailForMessage());
        }
        if (System.nanoTime() - deadlineNanos >= 0) {
            kill();
            throw new WorkerStartException(
                    describe()
                            + " did not say HELLO within "
                            + config.helloTimeout().toMillis()
                            + " ms; raise the hello timeout if the machine is busy"
                            + tailForMessage());
        }
    }

    /**
     * Reads the worker's first frame, which must be HELLO, then puts the channel in blocking mode.
     * Bytes after it stay in {@code decoder}.
     *
     * @throws WorkerStartException when the worker exits, sends something else or the deadline
     *     passes (then it is killed)
     */
    Hello awaitHello(SocketChannel channel, FrameDecoder decoder, long deadlineNanos)
            throws WorkerStartException {
        try {
            channel.configureBlocking(false);
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_READ);
                ByteBuffer buf = ByteBuffer.allocate(4096);
                while (true) {
                    buf.clear();
                    if (channel.read(buf) < 0) {
                        awaitExit(POLL_MILLIS * 20);
                        checkAlive("after it connected, before it said HELLO", deadlineNanos);
                    }
                    List<Frame> frames = decoder.push(buf.flip());
                    if (!frames.isEmpty()) {
                        return hello(frames);
                    }
                    checkAlive("before it said HELLO", deadlineNanos);
                    selector.select(POLL_MILLIS);
                }
            } finally {
                channel.configureBlocking(true);
            }
        } catch (ProtocolException e) {
            kill();
            throw new WorkerStartException(
                    describe()
                            + " broke the protocol before HELLO: "
                            + e.getMessage()
                            + tailForMessage(),
                    e);
        } catch (WorkerStartException e) {
            throw e;
        } catch (IOException e) {
            kill();
            throw new WorkerStartException(describe() + ": reading its HELLO failed: " + e, e);
        }
    }

    private Hello hello(List<Frame> frames) throws ProtocolException {
        Frame first = frames.get(0);
        if (first.type() != MessageType.HELLO || frames.size() > 1) {
            throw new ProtocolException(
                    "the first frames were "
                            + frames.stream().map(f -> f.type().name()).toList()
                            + "; a worker says HELLO first, and then waits for the job");
        }
        Hello hello = (Hello) Message.of(first);
        if (hello.protocol() < OLDEST_PROTOCOL_VERSION || hello.protocol() > PROTOCOL_VERSION) {
            throw new ProtocolException(
                    "it speaks protocol "
                            + hello.protocol()
                            + ", this job speaks "
                            + OLDEST_PROTOCOL_VERSION
                            + " to "
                            + PROTOCOL_VERSION
                            + "; use a worker of the same Flowfn release as the job");
        }
        if (hello.concurrency() < 1) {
            throw new ProtocolException(
                    "HELLO says concurrency " + hello.concurrency() + "; it must be at least 1");
        }
        return hello;
    }

    /** Kills the process at once (SIGKILL): whatever it runs, the CPU comes back. */
    public void kill() {
        process.destroyForcibly();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits up to {@code millis} for the exit; kills the process if it is still running then. */
    int awaitExit(long millis) {
        try {
            if (!process.waitFor(millis, TimeUnit.MILLISECONDS)) {
                kill();
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            return -1;
        }
    }

    long startedNanos() {
        return startedNanos;
    }

    WorkerConfig config() {
        return config;
    }

    /** Where the worker's output goes. */
    public Path logFile() {
        return log;
    }

    /** The last lines of the worker's stderr, at most 20. */
    public String stderrTail() {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long from = Math.max(0, file.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (file.length() - from)];
            file.seek(from);
            file.readFully(bytes);
            List<String> lines =
                    Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
            return String.join(
                            "\n",
                            lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()))
                    .strip();
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Deletes the temp dir (with the log, unless the config named another file). */
    void deleteFiles() {
        deleteDir(dir);
    }

    String describe() {
        return config.runtime().id()
                + " worker "
                + config.workerId()
                + " (pid "
                + process.pid()
                + ")";
    }

    private String tailForMessage() {
        String tail = stderrTail();
        return tail.isEmpty() ? "; it wrote nothing to stderr" : "; its stderr ends with:\n" + tail;
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }

    private static void deleteDir(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(WorkerProcess::delete);
        } catch (IOException | UncheckedIOException e) {
            // a temp dir left behind is harmless
        }
    }

    private static void delete(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
