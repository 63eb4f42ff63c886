package dev.flowfn.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How long a run took by its own doing: its wall time less the time its thread waited for a core
 * meanwhile (the second field of Linux's {@code /proc/thread-self/schedstat}). On a machine whose
 * cores are all busy the scheduler cuts a running thread off for a few milliseconds at a time;
 * judged by wall time, a fast handler then looks slow and its version leaves the reading thread for
 * the pool, {@link Session#FAST_RUNS} runs at least. Computing, sleeping, blocking and waiting for
 * a lock all count; only waiting for a core does not. The worker's reading thread and each pool
 * thread keep one; the job's function group uses it for its inline runs on the task thread.
 *
 * <p>Reading the wait costs about a microsecond, so it is read at a mark before a run, at most
 * every {@value #MARK_EVERY_NANOS} ns while runs follow each other closely (and before the first
 * run after a pause, when the thread may have waited for the socket), and again only after a run
 * whose wall time reaches the limit. What the thread did between the mark and the run counts as the
 * run's own, and so does time the core was taken without the thread waiting in a run queue (a JVM
 * safepoint, interrupts, a hypervisor): the judgement errs towards slow. Elsewhere than on Linux
 * the wall time alone decides.
 *
 * <p>One thread at a time (the file describes the thread that opened it; another thread opens it
 * anew).
 */
public final class OwnTime {

    /** Longest time between marks while runs follow each other closely. */
    static final long MARK_EVERY_NANOS = 500_000;

    /** A pause between runs after which the next one takes a new mark. */
    static final long PAUSE_NANOS = 50_000;

    private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");

    private final ByteBuffer buf = ByteBuffer.allocate(96);
    private Thread owner;
    private FileChannel schedstat;
    private long markNanos;
    private long markWait = -1;
    private long lastEndNanos;

    /** Before a run that starts at {@code startNanos} ({@link System#nanoTime}). */
    public void beforeRun(long startNanos) {
        if (owner != Thread.currentThread()) {
            open();
        }
        if (markWait < 0
                || startNanos - markNanos > MARK_EVERY_NANOS
                || startNanos - lastEndNanos > PAUSE_NANOS) {
            markWait = waitNanos();
            markNanos = System.nanoTime();
        }
    }

    /**
     * The run that just ended: its own time in microseconds, or its wall time when that is under
     * {@code limitMicros} (then nothing is read, and the clock is not either: the run's end is its
     * start plus its wall time).
     *
     * @param startNanos as given to {@link #beforeRun}
     */
    public long micros(long startNanos, long wallMicros, long limitMicros) {
        if (wallMicros < limitMicros || markWait < 0) {
            lastEndNanos = startNanos + wallMicros * 1_000;
            return wallMicros;
        }
        long endNanos = System.nanoTime();
        lastEndNanos = endNanos;
        long waitedNanos = waitNanos() - markWait;
        if (waitedNanos < 0) {
            return wallMicros;
        }
        // from the mark, taken after reading the wait: a cut-off before it is not counted, nor is
        // the read itself when the mark came just before the run
        long ownSinceMark = (endNanos - markNanos - waitedNanos) / 1_000;
        return Math.max(0, Math.min(wallMicros, ownSinceMark));
    }

    /** Closes the file it reads; a later run opens it again. */
    public void close() {
        if (schedstat != null) {
            try {
                schedstat.close();
            } catch (IOException e) {
                // a read-only file: nothing was lost
            }
            schedstat = null;
        }
        owner = null;
    }

    /** The file describes the thread that opened it: the calling one. */
    private void open() {
        close();
        owner = Thread.currentThread();
        markWait = -1;
        try {
            schedstat = FileChannel.open(SCHEDSTAT, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            schedstat = null;
        }
    }

    /** Nanoseconds the calling thread has waited for a core since it started, or -1 if unknown. */
    private long waitNanos() {
        if (schedstat == null) {
            return -1;
        }
        buf.clear();
        try {
            schedstat.read(buf, 0);
        } catch (IOException e) {
            return -1;
        }
        return secondField(buf.array(), buf.position());
    }

    /** The second of the space-separated decimal numbers in {@code text[0..length)}, or -1. */
    static long secondField(byte[] text, int length) {
        int at = 0;
        while (at < length && text[at] != ' ') {
            at++;
        }
        at++;
        long value = 0;
        int digits = 0;
        for (; at < length && text[at] >= '0' && text[at] <= '9'; at++, digits++) {
            value = value * 10 + (text[at] - '0');
        }
        return digits == 0 || digits > 18 ? -1 : value;
    }
}
