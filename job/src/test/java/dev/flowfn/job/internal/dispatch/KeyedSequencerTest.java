package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KeyedSequencerTest {

    private final KeyedSequencer sequencer = new KeyedSequencer();
    private final List<String> order = Collections.synchronizedList(new ArrayList<>());

    @Test
    void theNextItemOfAKeyStartsOnlyAfterThisResultWasHandedOn() throws Exception {
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> first = sequencer.submit("device-7", () -> gate);
        first.whenComplete(
                (v, e) -> {
                    pause(50); // the consumer of results is slow to take this one
                    order.add("first handed on");
                });
        CompletableFuture<String> second =
                sequencer.submit(
                        "device-7",
                        () -> {
                            order.add("second started");
                            return CompletableFuture.completedFuture("second");
                        });

        gate.complete("first");
        second.join();

        assertThat(order).containsExactly("first handed on", "second started");
        assertThat(sequencer.activeKeys()).isZero();
    }

    /**
     * The next item may be submitted while this one's result is being handed on (the task thread
     * runs beside the handler thread that completes it): it must still wait for the hand-over.
     * Submitting it from inside a dependent of the result is that moment, made deterministic.
     */
    @Test
    void anItemSubmittedWhileTheResultIsHandedOnWaitsForTheHandOver() {
        CompletableFuture<String> gate = new CompletableFuture<>();
        CompletableFuture<String> first = sequencer.submit("device-7", () -> gate);
        List<CompletableFuture<String>> second = new ArrayList<>();
        first.whenComplete(
                (v, e) -> {
                    second.add(
                            sequencer.submit(
                                    "device-7",
                                    () -> {
                                        order.add("second started");
                                        return CompletableFuture.completedFuture("second");
                                    }));
                    order.add("first handed on");
                });

        gate.complete("first");

        assertThat(second.get(0)).isCompletedWithValue("second");
        assertThat(order).containsExactly("first handed on", "second started");
        assertThat(sequencer.activeKeys()).isZero();
    }

    @Test
    void otherKeysDoNotWaitAndFailuresReleaseTheKey() {
        CompletableFuture<String> gate = new CompletableFuture<>();
        sequencer.submit("slow", () -> gate);
        CompletableFuture<String> other =
                sequencer.submit("quick", () -> CompletableFuture.completedFuture("done"));
        assertThat(other).isCompletedWithValue("done");

        gate.completeExceptionally(new IllegalStateException("boom"));
        CompletableFuture<String> after =
                sequencer.submit("slow", () -> CompletableFuture.completedFuture("after"));
        assertThat(after).isCompletedWithValue("after");
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
