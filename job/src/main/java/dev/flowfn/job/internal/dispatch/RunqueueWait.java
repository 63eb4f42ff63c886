package dev.flowfn.job.internal.dispatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * How long one thread has waited for a core in all, from Linux's {@code
 * /proc/thread-self/schedstat} (its second field: nanoseconds spent runnable on a run queue, not
 * running). The file is opened once, by the thread it describes, and read again from its start each
 * time (about 1 µs).
 *
 * <p>Elsewhere, or when the file cannot be read, {@link #nanos} answers -1 and callers judge by
 * wall time alone.
 */
final class RunqueueWait {

    private static final Path SELF = Path.of("/proc/thread-self/schedstat");

    private final Thread owner;
    private final FileChannel file;
    private final ByteBuffer buf = ByteBuffer.allocate(96);

    private RunqueueWait(Thread owner, FileChannel file) {
        this.owner = owner;
        this.file = file;
    }

    /** The calling thread's; unavailable ({@link #nanos} -1) where the system has no such file. */
    static RunqueueWait ofCurrentThread() {
        FileChannel file;
        try {
            file = FileChannel.open(SELF, StandardOpenOption.READ);
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            file = null;
        }
        return new RunqueueWait(Thread.currentThread(), file);
    }

    /** Whether it describes the calling thread (the file belongs to the thread that opened it). */
    boolean ofCurrent() {
        return owner == Thread.currentThread();
    }

    /** Nanoseconds the owner thread has waited for a core since it started, or -1 if unknown. */
    long nanos() {
        if (file == null) {
            return -1;
        }
        buf.clear();
        try {
            file.read(buf, 0);
        } catch (IOException e) {
            return -1;
        }
        return secondField(buf.array(), buf.position());
    }

    void close() {
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // a read-only file: nothing was lost
            }
        }
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
