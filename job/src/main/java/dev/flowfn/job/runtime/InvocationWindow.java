package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Progress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flow control of one worker (PROTOCOL.md, "A session", 4): at most {@code concurrency}
 * invocations outstanding, from INVOKE to RESULT, and at most {@code maxBytes} of their frames
 * (always at least one, however large); the others wait here, in the order they came, and go out as
 * results free room. The byte bound keeps a deep pipeline of large events from filling the worker's
 * memory, which would fail the function with OUT_OF_MEMORY for the platform's queueing. It also
 * collects what each outstanding invocation sends before its result.
 *
 * <p>Not thread-safe: {@link WorkerConnection} guards it with its lock.
 */
final class InvocationWindow {

    private final int concurrency;
    private final long maxBytes;
    private final Map<String, Attempt> byId = new HashMap<>();
    private final ArrayDeque<Attempt> waiting = new ArrayDeque<>();
    private int outstanding;
    private long outstandingBytes;

    InvocationWindow(int concurrency, long maxBytes) {
        if (concurrency < 1 || maxBytes < 1) {
            throw new IllegalArgumentException(
                    "concurrency " + concurrency + " and bytes " + maxBytes + " must be >= 1");
        }
        this.concurrency = concurrency;
        this.maxBytes = maxBytes;
    }

    /**
     * Queues a batch and returns the attempts to send now (none beyond the window).
     *
     * @param frames the encoded INVOKE frame of each invocation of {@code batch}, in its order
     * @throws IllegalArgumentException when an id is already in the window or twice in the batch
     *     (nothing is queued then)
     */
    List<Attempt> admit(List<Invoke> batch, List<ByteBuffer> frames) {
        if (frames.size() != batch.size()) {
            throw new IllegalArgumentException(
                    batch.size() + " invocations, " + frames.size() + " frames");
        }
        Attempt[] admitted = new Attempt[batch.size()];
        for (int i = 0; i < admitted.length; i++) {
            admitted[i] = new Attempt(batch.get(i), frames.get(i));
            if (byId.putIfAbsent(admitted[i].invoke.id(), admitted[i]) != null) {
                for (int j = 0; j < i; j++) { // ours: none of them was in before
                    byId.remove(admitted[j].invoke.id());
                }
                throw new IllegalArgumentException(
                        "invocation '"
                                + admitted[i].invoke.id()
                                + "' is already in flight at this worker");
            }
        }
        for (Attempt attempt : admitted) {
            waiting.add(attempt);
        }
        return next();
    }

    /** Moves waiting attempts out while there is room; returns them, to send in order. */
    List<Attempt> next() {
        List<Attempt> send = new ArrayList<>();
        while (outstanding < concurrency && !waiting.isEmpty()) {
            Attempt attempt = waiting.peek();
            int bytes = attempt.frameBytes;
            if (outstanding > 0 && outstandingBytes + bytes > maxBytes) {
                break;
            }
            waiting.poll();
            attempt.sent = true;
            outstanding++;
            outstandingBytes += bytes;
            send.add(attempt);
        }
        return send;
    }

    /** The outstanding attempt of an id, or null (unknown, or not sent). */
    Attempt outstanding(String id) {
        Attempt attempt = byId.get(id);
        return attempt != null && attempt.sent ? attempt : null;
    }

    /** Removes the outstanding attempt whose result arrived; null if there is none. */
    Attempt finish(String id) {
        Attempt attempt = byId.remove(id); // one lookup: a result's id is a new string
        if (attempt == null) {
            return null;
        }
        if (!attempt.sent) {
            byId.put(id, attempt); // an answer to one never sent: not this one's
            return null;
        }
        outstanding--;
        outstandingBytes -= attempt.frameBytes;
        return attempt;
    }

    /** Removes and returns every attempt: the outstanding ones first, then the waiting ones. */
    List<Attempt> drain() {
        List<Attempt> all = new ArrayList<>();
        byId.values().stream().filter(a -> a.sent).forEach(all::add);
        all.addAll(waiting);
        byId.clear();
        waiting.clear();
        outstanding = 0;
        outstandingBytes = 0;
        return all;
    }

    int outstandingCount() {
        return outstanding;
    }

    int waitingCount() {
        return waiting.size();
    }

    long outstandingBytes() {
        return outstandingBytes;
    }

    /** One invocation in the window and what it has sent so far. */
    static final class Attempt {
        final Invoke invoke;

        /**
         * Its INVOKE frame, encoded before it entered the window (so an oversize one never does).
         */
        final ByteBuffer frame;

        /** The frame's size (the writer moves {@link #frame}'s position as it sends it). */
        final int frameBytes;

        // made by the first of each (most invocations send none): an immutable empty list is
        // what Completion keeps without a copy
        private List<Log> logs;
        private List<Progress> progress;
        private List<Emit> emitted;
        private boolean sent;

        Attempt(Invoke invoke, ByteBuffer frame) {
            this.invoke = invoke;
            this.frame = frame;
            this.frameBytes = frame.remaining();
        }

        boolean sent() {
            return sent;
        }

        void add(Log log) {
            if (logs == null) {
                logs = new ArrayList<>();
            }
            logs.add(log);
        }

        void add(Progress report) {
            if (progress == null) {
                progress = new ArrayList<>();
            }
            progress.add(report);
        }

        void add(Emit emit) {
            if (emitted == null) {
                emitted = new ArrayList<>();
            }
            emitted.add(emit);
        }

        Completion complete(Outcome outcome) {
            return new Completion(
                    invoke.id(), outcome, orEmpty(logs), orEmpty(progress), orEmpty(emitted));
        }

        private static <T> List<T> orEmpty(List<T> list) {
            return list == null ? List.of() : list;
        }
    }
}
