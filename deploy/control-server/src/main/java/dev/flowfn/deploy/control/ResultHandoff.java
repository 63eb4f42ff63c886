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
 * the most recent results. A result record is decoded only when someone waits for it or recent
 * results are kept.
 *
 * <p>Threads: {@link #accept} from one thread (the waiter's consumer thread), where the futures
 * complete; everything else from any thread.
 */
final class ResultHandoff {

    private static final AvroCodec<InvocationResult> RESULTS = AvroCodec.of(InvocationResult.class);

    private final Map<String, CompletableFuture<InvocationResult>> waiting =
            new ConcurrentHashMap<>();
    private final Map<String, InvocationResult> recent;
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
                            protected boolean removeEldestEntry(
                                    Map.Entry<String, InvocationResult> eldest) {
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

    Optional<InvocationResult> recent(String invocationId) {
        return Optional.ofNullable(recent.get(invocationId));
    }

    /**
     * One record of {@code flowfn.results} (key = invocation id, value = an encoded {@link
     * InvocationResult}): completes whoever waits for it, and keeps it if recent results are kept.
     * A value that cannot be decoded fails the waiter's future and is not kept.
     */
    void accept(byte[] key, byte[] value) {
        if (key == null || (waiting.isEmpty() && !keepRecent)) {
            return;
        }
        String id = new String(key, StandardCharsets.UTF_8);
        CompletableFuture<InvocationResult> waiter = waiting.remove(id);
        if (waiter == null && !keepRecent) {
            return;
        }
        try {
            InvocationResult result = RESULTS.decode(value);
            if (keepRecent) {
                recent.put(id, result);
            }
            if (waiter != null) {
                waiter.complete(result);
            }
        } catch (UndecodableRecordException e) {
            if (waiter != null) {
                waiter.completeExceptionally(e);
            }
        }
    }
}
