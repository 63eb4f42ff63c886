package dev.flowfn.bench.infra;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy this JVM's JIT compilers were since a mark: the time they spent compiling, as the JVM
 * counts it (summed over its compiler threads, waits for a core included), per second of wall time.
 * A warm-up goes on until this falls, so the rounds measured after it measure the platform as it
 * runs for hours rather than its first minutes (per-thread CPU of scenario 1's measured rounds
 * showed C2 alone at 14-87% of a core).
 */
public final class JitActivity {

    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final long compileMillis;
    private final long wallNanos;

    private JitActivity(long compileMillis, long wallNanos) {
        this.compileMillis = compileMillis;
        this.wallNanos = wallNanos;
    }

    /** A mark from now; {@link #cores} is 0 where the JVM cannot say. */
    public static JitActivity mark() {
        return new JitActivity(compileMillis(), System.nanoTime());
    }

    /** The compilers' time since the mark per wall time (1.0: one compiler busy throughout). */
    public double cores() {
        double wallMillis = (System.nanoTime() - wallNanos) / 1e6;
        return wallMillis <= 0 ? 0 : (compileMillis() - compileMillis) / wallMillis;
    }

    private static long compileMillis() {
        return JIT != null && JIT.isCompilationTimeMonitoringSupported()
                ? JIT.getTotalCompilationTime()
                : 0;
    }
}
