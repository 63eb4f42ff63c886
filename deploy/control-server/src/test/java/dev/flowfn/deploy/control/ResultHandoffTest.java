package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.UndecodableRecordException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

class ResultHandoffTest {

    private static final AvroCodec<InvocationResult> CODEC = AvroCodec.of(InvocationResult.class);

    static InvocationResult result(String id, String text) {
        return InvocationResult.newBuilder()
                .setInvocationId(id)
                .setFunction("upper")
                .setVersion(1)
                .setEventId(id)
                .setSuccess(true)
                .setData(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)))
                .setContentType("text/plain")
                .setAttempts(1)
                .setStartMicros(0)
                .setDurationMicros(1500)
                .build();
    }

    private static void deliver(ResultHandoff handoff, InvocationResult r) {
        handoff.accept(r.getInvocationId().getBytes(StandardCharsets.UTF_8), CODEC.encode(r));
    }

    @Test
    void aWaiterGetsItsResultAndOnlyItsResult() throws Exception {
        ResultHandoff handoff = new ResultHandoff(false, 10);
        CompletableFuture<InvocationResult> a = handoff.expect("a");
        CompletableFuture<InvocationResult> b = handoff.expect("b");

        deliver(handoff, result("a", "A"));

        assertThat(a.get().getData()).isEqualTo(ByteBuffer.wrap("A".getBytes()));
        assertThat(b).isNotDone();
        assertThat(handoff.expect("a")).isNotSameAs(a); // handed on: a new wait starts over
    }

    @Test
    void expectingTwiceSharesOneFuture() {
        ResultHandoff handoff = new ResultHandoff(false, 10);

        assertThat(handoff.expect("a")).isSameAs(handoff.expect("a"));
    }

    @Test
    void aForgottenInvocationIsNotCompleted() {
        ResultHandoff handoff = new ResultHandoff(false, 10);
        CompletableFuture<InvocationResult> a = handoff.expect("a");

        handoff.forget("a");
        deliver(handoff, result("a", "A"));

        assertThat(a).isNotDone();
    }

    @Test
    void withoutKeepingRecentNothingIsKept() {
        ResultHandoff handoff = new ResultHandoff(false, 10);
        handoff.expect("a");

        deliver(handoff, result("a", "A"));
        deliver(handoff, result("b", "B"));

        assertThat(handoff.recent("a")).isEmpty();
        assertThat(handoff.recent("b")).isEmpty();
    }

    @Test
    void recentResultsAreKeptUpToTheCapacityOldestDroppedFirst() {
        ResultHandoff handoff = new ResultHandoff(true, 2);

        deliver(handoff, result("a", "A"));
        deliver(handoff, result("b", "B"));
        handoff.recent("a"); // reading does not make it newer
        deliver(handoff, result("c", "C"));

        assertThat(handoff.recent("a")).isEmpty();
        assertThat(handoff.recent("b")).map(InvocationResult::getInvocationId).contains("b");
        assertThat(handoff.recent("c")).map(InvocationResult::getInvocationId).contains("c");
    }

    @Test
    void aKeptResultReadsBackWholeEachTimeItIsLookedUp() {
        ResultHandoff handoff = new ResultHandoff(true, 10);
        InvocationResult a = result("a", "A");

        deliver(handoff, a);

        assertThat(handoff.recent("a")).contains(a);
        assertThat(handoff.recent("a")).contains(a);
    }

    @Test
    void anUndecodableResultFailsItsWaiterAndIsNotKept() {
        ResultHandoff handoff = new ResultHandoff(true, 10);
        CompletableFuture<InvocationResult> a = handoff.expect("a");

        handoff.accept("a".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});

        Assertions.assertThatThrownBy(a::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(UndecodableRecordException.class);
        assertThat(handoff.recent("a")).isEmpty();
    }

    @Test
    void aRecordWithoutKeyIsIgnored() {
        ResultHandoff handoff = new ResultHandoff(true, 10);

        handoff.accept(null, CODEC.encode(result("a", "A")));

        assertThat(handoff.recent("a")).isEmpty();
    }
}
