package dev.flowfn.bench.infra;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * How busy this JVM's JIT compilers were since a mark: the time they spent compiling (summed over
 * their threads, as the JVM counts it) per second of wall time, in cores. A warm-up goes on until
 * this falls, so the rounds measured after it measure the platform as it runs for hours rather than
 * its first minutes, when the compilers take up to most of a core (seen in scenario 1's rounds:
 * 14-87% of a core for C2 alone).
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

    /** The compilers' time since the mark per wall time: 1.0 is one core busy throughout. */
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
