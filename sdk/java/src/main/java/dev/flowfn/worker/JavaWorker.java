package dev.flowfn.worker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;

/**
 * The worker process of the {@code java} runtime: runs Java handlers for the Flowfn job outside the
 * TaskManager, speaking the runtime protocol v2 (sdk/PROTOCOL.md).
 *
 * <p>The job starts it as {@code java -Xmx<memoryMb>m -XX:+ExitOnOutOfMemoryError -cp <a class path
 * with this module and functions-api> dev.flowfn.worker.JavaWorker} with, in its environment,
 * {@code FLOWFN_WORKER_SOCKET} (or {@code FLOWFN_WORKER_ADDRESS}), {@code FLOWFN_WORKER_ID} and
 * {@code FLOWFN_WORKER_CONCURRENCY}. Function code never sees that class path: each version loads
 * from the jars of its {@code codeDir} under a parent that shows only the JDK and {@code
 * dev.flowfn.api}.
 *
 * <p>Exit status: 0 after STOP or end-of-file on the socket; 2 after a protocol error or a bad
 * setting (stderr says which); 3 out of memory; whatever a handler passes to {@code System.exit}
 * (its own choice: it ends the process, which is the isolation the job relies on).
 */
public final class JavaWorker {

    private JavaWorker() {}

    public static void main(String[] args) {
        Thread.setDefaultUncaughtExceptionHandler(new Uncaught());
        WorkerOptions options;
        SocketChannel channel;
        try {
            options = WorkerOptions.fromEnv(System.getenv());
        } catch (IllegalArgumentException e) {
            exit("flowfn-worker: " + e.getMessage(), Session.EXIT_PROTOCOL_ERROR);
            return;
        }
        try {
            channel = options.connect();
        } catch (IOException e) {
            exit(
                    "flowfn-worker: cannot connect to the job at "
                            + options.describeAddress()
                            + ": "
                            + e,
                    Session.EXIT_PROTOCOL_ERROR);
            return;
        }
        int status;
        try {
            status = new Session(channel, options, FunctionLoader.isolated(), System.err).serve();
        } catch (OutOfMemoryError e) {
            OutOfMemory.exit();
            return;
        }
        System.err.flush();
        Runtime.getRuntime().halt(status); // at once, whatever handler threads still run
    }

    private static void exit(String message, int status) {
        System.err.println(message);
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }

    /** This module's version, for HELLO ({@code sdk}). */
    static String version() {
        try (InputStream in = JavaWorker.class.getResourceAsStream("version.txt")) {
            return in == null
                    ? "unknown"
                    : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Out of memory on any thread (a handler's own too) ends the worker with status 3. */
    private static final class Uncaught implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            OutOfMemory.exitIfCause(e);
            System.err.print("Exception in thread \"" + t.getName() + "\" ");
            e.printStackTrace(System.err);
        }
    }
}
