package dev.flowfn.deploy.engine;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;

/**
 * Runs an engine's main class and exits when the parent process is gone: {@code java -cp ...
 * dev.flowfn.deploy.engine.ExitWithParent MAIN_CLASS [ARGS...]}.
 *
 * <p>The parent holds the write end of this process's standard input (a pipe) and never writes to
 * it. When the parent exits in any way, {@code kill -9} included, the kernel closes that end and
 * the read here returns end-of-file. This JVM then exits through its shutdown hooks (so Kafka, the
 * Connect worker and the object store stop as they do on SIGTERM), and is halted if the hooks take
 * longer than {@link #GRACE}. Polling the parent's process handle would do the same at a cost, and
 * a parent-death signal ({@code prctl}) is tied to the thread that started the child, not the
 * process.
 *
 * <p>Threads: the calling thread runs the engine's {@code main}; one daemon thread blocks on
 * standard input. Engines must not read standard input (none of Flowfn's does).
 */
public final class ExitWithParent {

    /** How long shutdown hooks may take once the parent is gone, before the JVM is halted. */
    public static final Duration GRACE = Duration.ofSeconds(6);

    /** The exit code when the parent went away. */
    public static final int PARENT_GONE = 143;

    private ExitWithParent() {}

    public static void main(String[] args) throws Throwable {
        if (args.length == 0) {
            System.err.println("usage: ExitWithParent MAIN_CLASS [ARGS...]");
            System.exit(2);
        }
        watch(System.in);
        Method main = Class.forName(args[0]).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Starts the daemon thread that exits this JVM once {@code parentPipe} reaches its end. */
    static Thread watch(InputStream parentPipe) {
        Thread watcher =
                new Thread(
                        () -> {
                            drain(parentPipe);
                            System.err.println(
                                    "flowfn: the launcher is gone (standard input closed);"
                                            + " stopping");
                            haltAfter(GRACE);
                            System.exit(PARENT_GONE);
                        },
                        "flowfn-exit-with-parent");
        watcher.setDaemon(true);
        watcher.start();
        return watcher;
    }

    /** Reads until end-of-file or an error: either way the parent's end is gone. */
    static void drain(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything read is ignored
            }
        } catch (IOException closed) {
            // treated as end-of-file
        }
    }

    private static void haltAfter(Duration grace) {
        Thread halt =
                new Thread(
                        () -> {
                            try {
                                Thread.sleep(grace.toMillis());
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            Runtime.getRuntime().halt(PARENT_GONE);
                        },
                        "flowfn-exit-with-parent-halt");
        halt.setDaemon(true);
        halt.start();
    }
}
