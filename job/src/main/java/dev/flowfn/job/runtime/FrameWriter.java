package dev.flowfn.job.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a connection's frames on a thread of its own, so that no caller ever blocks on a worker
 * that does not read (a busy Node.js event loop, a full socket buffer). Frames go out in the order
 * they were queued; all frames found queued go out in one gathering write.
 *
 * <p>Threads: {@link #send} and {@link #end} may be called from any thread and never block. The
 * writer thread writes what they queue; {@link #writeNow} lets its caller write at once instead,
 * when the caller knows the write cannot block (one write at a time either way). When a write fails
 * the channel is closed, so that the connection's reader sees the end of the session.
 */
final class FrameWriter {

    private static final Logger LOG = LoggerFactory.getLogger(FrameWriter.class);
    private static final ByteBuffer[] END = new ByteBuffer[0];

    private final SocketChannel channel;
    private final String name;

    /** Batches of frames: one element per {@link #send} or {@link #sendAll}, taken whole. */
    private final BlockingQueue<ByteBuffer[]> outbox = new LinkedBlockingQueue<>();

    /** Held while frames go to the channel, by the writer thread or a {@link #writeNow} caller. */
    private final ReentrantLock writing = new ReentrantLock();

    /**
     * Elements queued and not yet written: the writer lowers it under {@link #writing} once it has
     * written what it took. An empty {@link #outbox} would not do for {@link #writeNow}: the writer
     * may have taken frames and not yet begun to write them.
     */
    private final AtomicInteger unwritten = new AtomicInteger();

    private final Thread thread;

    FrameWriter(SocketChannel channel, String name) {
        this.channel = channel;
        this.name = name;
        this.thread = new Thread(this::run, name + "-writer");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues one or more frames (one buffer); they are written in queue order. */
    void send(ByteBuffer frames) {
        unwritten.incrementAndGet();
        outbox.add(new ByteBuffer[] {frames});
    }

    /**
     * Queues frames, in their order, as one element: the writer takes them together, so they go out
     * in one gathering write with at most one wake-up of the writer (added one by one, the writer
     * woke at the first and could write the batch in pieces).
     */
    void sendAll(List<ByteBuffer> frames) {
        unwritten.incrementAndGet();
        outbox.add(frames.toArray(ByteBuffer[]::new));
    }

    /**
     * Writes frames on the calling thread, sparing the writer thread's wake-up, when nothing is
     * queued or being written before them and {@code roomFor} says the channel takes them without
     * blocking; it is asked while no other write can start. Otherwise writes nothing.
     *
     * @return true when they were written (or the write failed: the channel is closed then); false
     *     when the caller is to queue them with {@link #sendAll}
     */
    boolean writeNow(List<ByteBuffer> frames, BooleanSupplier roomFor) {
        if (unwritten.get() > 0 || !writing.tryLock()) {
            return false;
        }
        try {
            if (unwritten.get() > 0 || !roomFor.getAsBoolean()) {
                return false;
            }
            writeAll(frames.toArray(ByteBuffer[]::new));
        } catch (IOException e) {
            failed(e);
        } finally {
            writing.unlock();
        }
        return true;
    }

    /** Writes what is queued, then ends the thread; frames queued after this are dropped. */
    void end() {
        unwritten.incrementAndGet();
        outbox.add(END);
    }

    /** From the last: a gathering write empties the buffers in order, so it usually decides. */
    private static boolean anyRemaining(ByteBuffer[] buffers) {
        for (int i = buffers.length - 1; i >= 0; i--) {
            if (buffers[i].hasRemaining()) {
                return true;
            }
        }
        return false;
    }

    private void run() {
        List<ByteBuffer[]> taken = new ArrayList<>();
        List<ByteBuffer> batch = new ArrayList<>();
        try {
            while (true) {
                taken.clear();
                taken.add(outbox.take());
                outbox.drainTo(taken);
                boolean end = false;
                batch.clear();
                for (ByteBuffer[] frames : taken) {
                    end |= frames == END;
                    batch.addAll(Arrays.asList(frames));
                }
                writing.lock();
                try {
                    writeAll(batch.toArray(ByteBuffer[]::new));
                    unwritten.addAndGet(-taken.size());
                } finally {
                    writing.unlock();
                }
                if (end) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void writeAll(ByteBuffer[] buffers) throws IOException {
        while (anyRemaining(buffers)) {
            channel.write(buffers);
        }
    }

    private void failed(IOException e) {
        LOG.debug("{}: writing failed: {}", name, e.toString());
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is all that is left to do
        }
    }
}
