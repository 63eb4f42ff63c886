package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.InvokeEvent;
import dev.flowfn.job.runtime.protocol.Log;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class InvocationWindowTest {

    @Test
    void sendsAtMostConcurrencyAndTheRestAsResultsFreeRoom() {
        InvocationWindow window = new InvocationWindow(2, Long.MAX_VALUE);
        assertThat(ids(admit(window, invokes(0, 5)))).containsExactly("i0", "i1");
        assertThat(window.outstandingCount()).isEqualTo(2);
        assertThat(window.waitingCount()).isEqualTo(3);

        assertThat(window.finish("i1")).isNotNull();
        assertThat(ids(window.next())).containsExactly("i2");
        assertThat(window.finish("i3")).as("not sent yet").isNull();
        assertThat(window.outstanding("i4")).isNull();
    }

    @Test
    void neverExceedsTheWindowAndCompletesEachOnceUnderRandomResults() {
        Random random = new Random(13);
        InvocationWindow window = new InvocationWindow(4, Long.MAX_VALUE);
        List<String> inFlight = new ArrayList<>();
        List<String> finished = new ArrayList<>();
        int admitted = 0;
        for (int round = 0; round < 500; round++) {
            if (random.nextBoolean() && admitted < 1000) {
                int n = 1 + random.nextInt(10);
                inFlight.addAll(ids(admit(window, invokes(admitted, n))));
                admitted += n;
            } else if (!inFlight.isEmpty()) {
                String id = inFlight.remove(random.nextInt(inFlight.size()));
                assertThat(window.finish(id)).isNotNull();
                finished.add(id);
                inFlight.addAll(ids(window.next()));
            }
            assertThat(inFlight).hasSize(window.outstandingCount());
            assertThat(window.outstandingCount()).isLessThanOrEqualTo(4);
            assertThat(window.waitingCount() == 0 || window.outstandingCount() == 4).isTrue();
        }
        List<InvocationWindow.Attempt> left = window.drain();
        assertThat(finished.size() + left.size()).isEqualTo(admitted);
        assertThat(left.stream().filter(InvocationWindow.Attempt::sent).count())
                .isEqualTo(inFlight.size());
        assertThat(window.outstandingCount() + window.waitingCount()).isZero();
    }

    @Test
    void keepsTheOutstandingFramesUnderTheByteBoundButAlwaysSendsOne() {
        InvocationWindow window = new InvocationWindow(100, 1000);
        List<Invoke> batch = invokes(0, 4);
        List<ByteBuffer> frames =
                List.of(
                        ByteBuffer.allocate(600),
                        ByteBuffer.allocate(400),
                        ByteBuffer.allocate(1),
                        ByteBuffer.allocate(5000));
        assertThat(ids(window.admit(batch, frames))).containsExactly("i0", "i1");
        assertThat(window.outstandingBytes()).isEqualTo(1000);
        frames.get(0).position(600); // the writer sent it: its size still counts until its result

        assertThat(window.finish("i0")).isNotNull();
        assertThat(ids(window.next())).as("in order: i3 waits behind i2").containsExactly("i2");
        assertThat(window.finish("i1")).isNotNull();
        assertThat(window.finish("i2")).isNotNull();
        assertThat(ids(window.next()))
                .as("alone, a frame over the bound goes")
                .containsExactly("i3");
        assertThat(window.outstandingBytes()).isEqualTo(5000);
        assertThat(window.finish("i3")).isNotNull();
        assertThat(window.outstandingBytes()).isZero();
    }

    @Test
    void refusesAnIdAlreadyInFlightAndTakesNothingOfThatBatch() {
        InvocationWindow window = new InvocationWindow(1, Long.MAX_VALUE);
        admit(window, invokes(0, 2));
        assertThatThrownBy(() -> admit(window, invokes(1, 3)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'i1' is already in flight");
        assertThat(window.waitingCount()).isEqualTo(1);

        // a clash late in a batch, or within it, takes back what the batch put in before it
        List<Invoke> lateClash = new ArrayList<>(invokes(2, 2));
        lateClash.add(invokes(0, 1).get(0));
        assertThatThrownBy(() -> admit(window, lateClash))
                .hasMessageContaining("'i0' is already in flight");
        List<Invoke> twice = new ArrayList<>(invokes(5, 1));
        twice.addAll(invokes(5, 1));
        assertThatThrownBy(() -> admit(window, twice))
                .hasMessageContaining("'i5' is already in flight");
        assertThat(window.waitingCount()).isEqualTo(1);
        assertThat(window.finish("i2")).isNull();
        assertThat(ids(admit(window, invokes(2, 4)))).isEmpty();
        assertThat(window.waitingCount()).isEqualTo(5);
    }

    @Test
    void aResultForAnAttemptNotYetSentLeavesItWaiting() {
        InvocationWindow window = new InvocationWindow(1, Long.MAX_VALUE);
        admit(window, invokes(0, 2));
        assertThat(window.finish("i1")).isNull();
        assertThat(window.waitingCount()).isEqualTo(1);
        assertThat(window.finish("i0")).isNotNull();
        assertThat(ids(window.next())).containsExactly("i1");
        assertThat(window.finish("i1")).isNotNull();
        assertThat(window.outstandingCount()).isZero();
    }

    @Test
    void completionKeepsLogsAndEmitsOnlyASuccessfulAttemptsEvents() {
        InvocationWindow window = new InvocationWindow(1, Long.MAX_VALUE);
        admit(window, invokes(0, 1));
        InvocationWindow.Attempt attempt = window.outstanding("i0");
        attempt.add(new Log("i0", "INFO", "hi", 1));
        attempt.add(new Emit("i0", "t", null, null, null, null, new byte[] {1}));

        Completion ok = attempt.complete(new Outcome.Success(null, 200, Map.of(), new byte[0], 5));
        Completion failed =
                attempt.complete(
                        new Outcome.Failure(WorkerFailureKind.HANDLER_ERROR, "boom", null, 5));

        assertThat(ok.emitted()).hasSize(1);
        assertThat(failed.emitted()).isEmpty();
        assertThat(failed.logs()).extracting(Log::message).containsExactly("hi");
    }

    static List<Invoke> invokes(int from, int count) {
        InvokeEvent event = new InvokeEvent("e", "test", "t", null, 0, null, false, Map.of());
        return IntStream.range(from, from + count)
                .mapToObj(i -> new Invoke("i" + i, "f", 1, 1, 0, 128, event, null))
                .toList();
    }

    private static List<InvocationWindow.Attempt> admit(InvocationWindow w, List<Invoke> batch) {
        return w.admit(batch, batch.stream().map(i -> ByteBuffer.allocate(0)).toList());
    }

    private static List<String> ids(List<InvocationWindow.Attempt> attempts) {
        return attempts.stream().map(a -> a.invoke.id()).toList();
    }
}
