package dev.flowfn.job.runtime;

/** What a worker's exit says about the attempts it held. Stateless. */
public final class WorkerExits {

    /**
     * The exit status of a worker that ran out of memory: a JVM's with {@code
     * -XX:+ExitOnOutOfMemoryError}, and the one the Java and Python workers use (PROTOCOL.md).
     */
    public static final int OUT_OF_MEMORY_STATUS = 3;

    private static final String[] OUT_OF_MEMORY_LINES = {
        "JavaScript heap out of memory", // Node.js past --max-old-space-size
        "java.lang.OutOfMemoryError",
        "Terminating due to java.lang.OutOfMemoryError",
        "MemoryError"
    };

    /**
     * The kind of failure of the attempts a worker held when it exited with {@code exitCode}, its
     * stderr ending with {@code stderrTail}; {@code requested} when the job stopped or killed it.
     */
    public static WorkerFailureKind kind(int exitCode, String stderrTail, boolean requested) {
        if (requested) {
            return WorkerFailureKind.WORKER_EXITED;
        }
        if (exitCode == OUT_OF_MEMORY_STATUS) {
            return WorkerFailureKind.OUT_OF_MEMORY;
        }
        if (stderrTail != null) {
            for (String line : OUT_OF_MEMORY_LINES) {
                if (stderrTail.contains(line)) {
                    return WorkerFailureKind.OUT_OF_MEMORY;
                }
            }
        }
        return WorkerFailureKind.WORKER_EXITED;
    }

    private WorkerExits() {}
}
