package dev.flowfn.job.internal.dispatch;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Runs work for the same key one after another, in submission order, and work for different keys
 * independently: one device's or one object's events keep their order. Thread-safe.
 */
final class KeyedSequencer {

    private final Map<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();

    /**
     * Runs {@code work} after the work submitted before for {@code key}. The next item for the key
     * starts only after the returned future's own dependents (registered before it completes) have
     * run: whoever consumes results in order (the async operator's result future) sees this one
     * before the next can finish. Dependents of a {@link CompletableFuture} run last-registered
     * first, so chaining the next item on the result itself would let it start, and on a busy
     * machine finish, before this result was handed on.
     */
    <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<Void> released = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(key, released);
        Runnable start =
                () ->
                        work.get()
                                .whenComplete(
                                        (value, error) -> {
                                            try {
                                                if (error != null) {
                                                    result.completeExceptionally(error);
                                                } else {
                                                    result.complete(value);
                                                }
                                            } finally {
                                                // only now: an item submitted while the result
                                                // was handed on finds this one and waits
                                                tails.remove(key, released);
                                                released.complete(null);
                                            }
                                        });
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((v, e) -> start.run());
        }
        return result;
    }

    int activeKeys() {
        return tails.size();
    }
}
