package dev.flowfn.deploy.control;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.UndecodableRecordException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The bookkeeping of {@link ResultWaiter}, without Kafka: who waits for which invocation id, and
 * the most recent results. A result record is decoded only when someone waits for it or looks it
 * up: recent results are kept as the bytes they came in (one array each, where a decoded result is
 * a dozen objects: at tens of thousands of results a second, decoding and keeping every one cost
 * the control server's JVM more CPU in its garbage collector than in the job's function calls).
 *
 * <p>Threads: {@link #accept} from one thread (the waiter's consumer thread), where the futures
 * complete; everything else from any thread.
 */
final class ResultHandoff {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    private final Map<String, CompletableFuture<InvocationResult>> waiting =
            new ConcurrentHashMap<>();
    private final Map<String, byte[]> recent;
    private final boolean keepRecent;

    /**
     * @param keepRecent whether to keep the last {@code capacity} results for {@link #recent}
     */
    ResultHandoff(boolean keepRecent, int capacity) {
        this.keepRecent = keepRecent;
        // insertion order: the oldest result seen goes first, however often it was read
        this.recent =
                Collections.synchronizedMap(
                        new LinkedHashMap<>(16, 0.75f, false) {
                            @Override
                            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                                return size() > capacity;
                            }
                        });
    }

    CompletableFuture<InvocationResult> expect(String invocationId) {
        return waiting.computeIfAbsent(invocationId, id -> new CompletableFuture<>());
    }

    void forget(String invocationId) {
        waiting.remove(invocationId);
    }

    /** A recent result; empty if there is none, or if its record cannot be decoded. */
    Optional<InvocationResult> recent(String invocationId) {
        byte[] value = recent.get(invocationId);
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(RESULTS.decode(value));
        } catch (UndecodableRecordException e) {
            return Optional.empty();
        }
    }

    /**
     * One record of {@code flowfn.results} (key = invocation id, value = an encoded {@link
     * InvocationResult}): completes whoever waits for it, and keeps its bytes if recent results are
     * kept. A value that cannot be decoded fails the waiter's future, and is not found by {@link
     * #recent}.
     */
    void accept(byte[] key, byte[] value) {
        if (key == null || (waiting.isEmpty() && !keepRecent)) {
            return;
        }
        String id = new String(key, StandardCharsets.UTF_8);
        if (keepRecent && value != null) {
            recent.put(id, value); // the consumer hands each record its own array
        }
        CompletableFuture<InvocationResult> waiter = waiting.remove(id);
        if (waiter == null) {
            return;
        }
        try {
            waiter.complete(RESULTS.decode(value));
        } catch (UndecodableRecordException e) {
            waiter.completeExceptionally(e);
        }
    }
}
