package dev.flowfn.worker;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Out of memory anywhere ends the worker at once with status {@value #EXIT_STATUS}: the job starts
 * the JVM with {@code -Xmx<memoryMb>m -XX:+ExitOnOutOfMemoryError}, whose exit status is also 3,
 * and this covers the worker started without that flag (and an error a handler wrapped). The JVM is
 * halted, not exited: no shutdown hook of user code runs on a heap that is full.
 */
final class OutOfMemory {

    /** The exit status of a worker out of memory, in every runtime (sdk/PROTOCOL.md). */
    static final int EXIT_STATUS = 3;

    private static final byte[] MESSAGE =
            "flowfn-worker: out of memory (java.lang.OutOfMemoryError); exiting with status 3\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private OutOfMemory() {}

    /** Halts with status 3 if {@code e} or one of its causes is an {@link OutOfMemoryError}. */
    static void exitIfCause(Throwable e) {
        for (int i = 0; e != null && i < 32; i++, e = e.getCause()) {
            if (e instanceof OutOfMemoryError) {
                exit();
            }
        }
    }

    /** Says so on stderr (if it can) and halts with status 3. */
    static void exit() {
        try {
            PrintStream err = System.err;
            err.write(MESSAGE, 0, MESSAGE.length); // preallocated: the heap may be full
            err.flush();
        } catch (Throwable ignored) { // nothing more to do: halt anyway
        }
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}
