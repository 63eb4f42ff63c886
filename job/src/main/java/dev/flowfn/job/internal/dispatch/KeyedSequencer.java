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

    <T> CompletableFuture<T> submit(String key, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> previous = tails.put(key, result);
        Runnable start =
                () ->
                        work.get()
                                .whenComplete(
                                        (value, error) -> {
                                            tails.remove(key, result);
                                            if (error != null) {
                                                result.completeExceptionally(error);
                                            } else {
                                                result.complete(value);
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
