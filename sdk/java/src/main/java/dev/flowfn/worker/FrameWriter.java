package dev.flowfn.worker;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.GatheringByteChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Sends frames to the job from any thread: {@link #send} encodes on the caller's thread and queues
 * the bytes; one writer thread writes them in the order they were queued, several per write when
 * they pile up.
 *
 * <p>Why a thread of its own: a write on a channel from a thread whose interrupt flag is set closes
 * the channel ({@code ClosedByInterruptException}), and handler threads are the user's to
 * interrupt; and a handler never waits for the socket. Frames of one invocation keep their order
 * (they are queued by its thread, or under its lock).
 *
 * <p>The frames of one thread, the reading thread, may be held back ({@link #holdFramesOf}) and
 * queued together ({@link #flushHeld}): what it sends while it handles the frames of one read goes
 * out in a few writes ({@link Session#FLUSH_FRAMES} frames each at most), with one wake-up of the
 * writer thread per write rather than one per frame.
 *
 * <p>Threads: {@link #send} and {@link #flushHeld} from any thread; the writer thread is a daemon
 * started by {@link #start}. A failed write (the job is gone) drops this and later frames: the
 * reading side then sees end-of-file and the worker exits.
 */
final class FrameWriter implements Runnable {

    /** Queued batches written together at most. */
    private static final int MAX_GATHER = 64;

    private final GatheringByteChannel channel;

    /** Batches of frames: one element per {@link #send} or {@link #flushHeld}. */
    private final LinkedBlockingQueue<ByteBuffer[]> queue = new LinkedBlockingQueue<>();

    private volatile boolean broken;

    /** The thread whose frames wait in {@link #held}; set by that thread, read by all. */
    private volatile Thread holder;

    private final List<ByteBuffer> held = new ArrayList<>(); // the holder's alone

    FrameWriter(GatheringByteChannel channel) {
        this.channel = channel;
    }

    FrameWriter start() {
        Thread thread = new Thread(this, "flowfn-writer");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Queues one frame.
     *
     * @throws FrameTooLargeException when it would be over the protocol's 64 MiB (nothing is sent)
     */
    void send(MessageType type, Map<String, ?> header, byte[] body) {
        ByteBuffer frame = FrameCodec.encode(type, header, body);
        if (Thread.currentThread() == holder) {
            held.add(frame);
        } else if (!broken) {
            queue.add(new ByteBuffer[] {frame});
        }
    }

    /** From now on the calling thread's frames wait until it calls {@link #flushHeld}. */
    void holdFramesOf(Thread thread) {
        if (thread != Thread.currentThread()) {
            throw new IllegalArgumentException("a thread holds back its own frames only");
        }
        holder = thread;
    }

    /**
     * Queues the frames the holding thread sent since its last flush, in order; does nothing on
     * another thread.
     */
    void flushHeld() {
        if (Thread.currentThread() != holder || held.isEmpty()) {
            return;
        }
        if (!broken) {
            queue.add(held.toArray(new ByteBuffer[0])); // one wake-up of the writer, one write
        }
        held.clear();
    }

    /** How many frames the holding thread has sent since its last flush. */
    int heldCount() {
        return held.size();
    }

    void send(MessageType type, Map<String, ?> header) {
        send(type, header, null);
    }

    /** A header with these keys and values, in this order. */
    static Map<String, Object> header(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>(keysAndValues.length);
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Override
    public void run() {
        List<ByteBuffer[]> batches = new ArrayList<>(MAX_GATHER);
        try {
            while (true) {
                batches.add(take());
                queue.drainTo(batches, MAX_GATHER - 1);
                ByteBuffer[] buffers =
                        batches.size() == 1
                                ? batches.get(0)
                                : batches.stream()
                                        .flatMap(Arrays::stream)
                                        .toArray(ByteBuffer[]::new);
                ByteBuffer last = buffers[buffers.length - 1]; // written in order: the last ends
                while (last.hasRemaining()) {
                    channel.write(buffers);
                }
                batches.clear();
            }
        } catch (IOException e) {
            broken = true;
            queue.clear();
        }
    }

    private ByteBuffer[] take() {
        while (true) {
            try {
                return queue.take();
            } catch (InterruptedException e) {
                // only this class runs on the thread; nobody is meant to interrupt it
            }
        }
    }
}
