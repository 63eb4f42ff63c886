package dev.flowfn.worker;

import static dev.flowfn.worker.FrameWriter.header;
import static org.assertj.core.api.Assertions.fail;

import dev.flowfn.api.Handler;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;

/**
 * The job's side of a session, for the integration tests: listens on a Unix socket in a temp dir,
 * starts a real worker JVM ({@code java -cp <worker classes>:<functions-api> JavaWorker}), and
 * sends and receives frames with the worker's own codec. Every wait has a timeout, so a hung worker
 * fails a test instead of hanging it; failures show the worker's output.
 */
final class FakeJob implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** Put in the queue when the worker's side of the connection ends. */
    private static final Frame END = new Frame(MessageType.STOP, Map.of());

    private final Path dir;
    private final Path log;
    private final Process process;
    private final long startedNanos;
    private final SocketChannel connection;
    private final BlockingQueue<Frame> received = new LinkedBlockingQueue<>();

    private FakeJob(Path dir, Path log, Process process, long startedNanos, SocketChannel c) {
        this.dir = dir;
        this.log = log;
        this.process = process;
        this.startedNanos = startedNanos;
        this.connection = c;
        Thread reader = new Thread(this::read, "fake-job-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts a worker with {@link #classPath()} on a Unix socket and waits for it to connect.
     *
     * @param env added to the worker's environment (after FLOWFN_WORKER_SOCKET and _ID)
     * @param jvmOptions before the main class, e.g. {@code -Xmx32m}
     */
    static FakeJob start(Path dir, Map<String, String> env, List<String> jvmOptions)
            throws IOException {
        return start(dir, env, jvmOptions, classPath(), false);
    }

    /**
     * Starts a worker and waits for it to connect.
     *
     * @param classPath the worker JVM's class path
     * @param tcp listen on 127.0.0.1 and pass FLOWFN_WORKER_ADDRESS rather than a Unix socket
     */
    static FakeJob start(
            Path dir,
            Map<String, String> env,
            List<String> jvmOptions,
            String classPath,
            boolean tcp)
            throws IOException {
        Path log = dir.resolve("worker.log");
        try (ServerSocketChannel server =
                tcp
                        ? ServerSocketChannel.open(StandardProtocolFamily.INET)
                        : ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            Map<String, String> address;
            if (tcp) {
                server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
                address = Map.of(WorkerOptions.ADDRESS, "127.0.0.1:" + port);
            } else {
                Path socket = dir.resolve("job.sock");
                server.bind(UnixDomainSocketAddress.of(socket));
                address = Map.of(WorkerOptions.SOCKET, socket.toString());
            }
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmOptions);
            command.add("-cp");
            command.add(classPath);
            command.add(JavaWorker.class.getName());
            ProcessBuilder builder =
                    new ProcessBuilder(command)
                            .directory(dir.toFile())
                            .redirectErrorStream(true)
                            .redirectOutput(log.toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("FLOWFN_"));
            builder.environment().putAll(address);
            builder.environment().put(WorkerOptions.WORKER_ID, "test-worker-1");
            builder.environment().putAll(env);
            long started = System.nanoTime();
            Process process = builder.start();
            SocketChannel connection = accept(server, process, log);
            return new FakeJob(dir, log, process, started, connection);
        }
    }

    static FakeJob start(Path dir) throws IOException {
        return start(dir, Map.of(), List.of());
    }

    /**
     * The worker's class path: its own classes and the functions API, as the brief of the java
     * runtime has it, plus this module's test classes and AssertJ, which stand for the rest of the
     * job's big jar: user code must not see any of it.
     */
    static String classPath() {
        return String.join(
                File.pathSeparator,
                minimalClassPath(),
                TestJars.location(FakeJob.class).toString(),
                TestJars.location(Assertions.class).toString());
    }

    /** Just the worker's classes and the functions API. */
    static String minimalClassPath() {
        return String.join(
                File.pathSeparator,
                TestJars.location(JavaWorker.class).toString(),
                TestJars.location(Handler.class).toString());
    }

    private static SocketChannel accept(ServerSocketChannel server, Process process, Path log)
            throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            while (System.nanoTime() < deadline) {
                SocketChannel c = server.accept();
                if (c != null) {
                    c.configureBlocking(true);
                    return c;
                }
                if (!process.isAlive()) {
                    fail(
                            "the worker exited with "
                                    + process.exitValue()
                                    + " before it connected:\n"
                                    + read(log));
                }
                selector.select(20);
            }
        }
        process.destroyForcibly();
        return fail("the worker did not connect within " + TIMEOUT + ":\n" + read(log));
    }

    private void read() {
        FrameReader in = new FrameReader(connection);
        try {
            for (Frame f = in.next(); f != null; f = in.next()) {
                received.add(f);
            }
        } catch (IOException | ProtocolException e) {
            // the worker is gone, or broke the protocol: END tells the test
        }
        received.add(END);
    }

    /** The next frame from the worker; fails when none comes in time or the connection ends. */
    Frame next() {
        try {
            Frame f = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (f == null) {
                return fail(
                        "no frame from the worker within "
                                + TIMEOUT
                                + "; its output:\n"
                                + output());
            }
            if (f == END) {
                received.add(END);
                return fail("the worker closed the connection; its output:\n" + output());
            }
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Every frame up to and including the n-th RESULT. */
    List<Frame> untilResults(int n) {
        List<Frame> frames = new ArrayList<>();
        int results = 0;
        while (results < n) {
            Frame f = next();
            frames.add(f);
            if (f.type() == MessageType.RESULT) {
                results++;
            }
        }
        return frames;
    }

    /** Writes the frames in one write, as the job batches them. */
    void send(Frame... frames) {
        List<ByteBuffer> buffers = new ArrayList<>();
        int size = 0;
        for (Frame f : frames) {
            ByteBuffer b = FrameCodec.encode(f);
            buffers.add(b);
            size += b.remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        buffers.forEach(all::put);
        all.flip();
        try {
            while (all.hasRemaining()) {
                connection.write(all);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes bytes as they are, to break the protocol. */
    void sendRaw(byte[] bytes) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            while (b.hasRemaining()) {
                connection.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Ends the job's side of the connection (end-of-file for the worker). */
    void closeConnection() throws IOException {
        connection.close();
    }

    int exitStatus() throws InterruptedException {
        if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the worker did not exit within " + TIMEOUT + "; its output:\n" + output());
        }
        return process.exitValue();
    }

    Process process() {
        return process;
    }

    /** Milliseconds since the worker's process was started. */
    double millisSinceStart() {
        return (System.nanoTime() - startedNanos) / 1e6;
    }

    /** What the worker wrote to stdout and stderr so far. */
    String output() {
        return read(log);
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        connection.close();
        process.destroyForcibly();
    }

    static Frame load(long version, String handler, Path codeDir, Map<String, String> env) {
        return new Frame(
                MessageType.LOAD,
                header(
                        "function",
                        "fn",
                        "version",
                        version,
                        "handler",
                        handler,
                        "codeDir",
                        codeDir.toString(),
                        "memoryMb",
                        128,
                        "env",
                        env));
    }

    static Frame invoke(String id, long version, String data) {
        return invoke(id, version, data.getBytes(StandardCharsets.UTF_8), 1);
    }

    static Frame invoke(String id, long version, byte[] data, int attempt) {
        Map<String, Object> event =
                header(
                        "id",
                        "e-" + id,
                        "source",
                        "test://job",
                        "type",
                        "flowfn.invoke",
                        "subject",
                        "s-" + id,
                        "time",
                        1767225599000L,
                        "datacontenttype",
                        null,
                        "sourceIdentity",
                        true,
                        "extensions",
                        Map.of("k", id));
        return new Frame(
                MessageType.INVOKE,
                header(
                        "id", id,
                        "function", "fn",
                        "version", version,
                        "attempt", attempt,
                        "deadline", System.currentTimeMillis() + 60_000,
                        "memoryMb", 256,
                        "event", event),
                data);
    }

    /** The frame as the worker receives it: encoded, then decoded. */
    static Frame received(Frame frame) {
        try {
            ByteBuffer b = FrameCodec.encode(frame);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return FrameCodec.decode(bytes);
        } catch (ProtocolException e) {
            throw new IllegalStateException(e);
        }
    }

    static Frame ping(long nonce) {
        return new Frame(MessageType.PING, header("nonce", nonce));
    }

    static Frame stop() {
        return new Frame(MessageType.STOP, header("reason", "idle"));
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "(no output)";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }
}
