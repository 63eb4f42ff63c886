package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.Handler;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.api.Result;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.code.ExitGuard;
import dev.flowfn.schemas.AvroCodec;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.Topics;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which failures are the function's and which the platform's. */
class FailureKindsTest {

    private static final FunctionSpec SPEC =
            FunctionSpec.newBuilder()
                    .setName("f")
                    .setVersion(1)
                    .setHandler("x.Y")
                    .setCodeUri("file:/x")
                    .setCodeSha256("00")
                    .setRetry(RetryPolicy.newBuilder().build())
                    .setDeployedAt(Instant.EPOCH)
                    .build();

    private static final Event EVENT =
            Event.newBuilder()
                    .setId("e-1")
                    .setSource("s")
                    .setType("t")
                    .setTime(Instant.EPOCH)
                    .setData(ByteBuffer.wrap(new byte[0]))
                    .build();

    private static final Invocation INVOCATION = new Invocation("k", SPEC, EVENT, "e-1/f", "k");

    private static AttemptOutcome run(Handler handler, EmitTopics topics) {
        InvocationContext ctx =
                new InvocationContext(SPEC, "e-1/f", 1, Instant.now().plusSeconds(5), 10);
        return Outcomes.runHandler(
                ExitGuard.currentThread(),
                handler,
                FailureKindsTest.class.getClassLoader(),
                EVENT,
                "e-1/f",
                ctx,
                topics,
                System.nanoTime(),
                0);
    }

    @Test
    void whatTheHandlerThrowsIsAHandlerError() {
        AttemptOutcome outcome =
                run(
                        (event, ctx) -> {
                            throw new IllegalStateException("boom");
                        },
                        EmitTopics.ANY);
        assertThat(outcome.failure()).isEqualTo(FailureKind.HANDLER_ERROR);
        assertThat(outcome.reason()).startsWith("handler threw java.lang.IllegalStateException");
    }

    @Test
    void anErrorTheHandlerThrowsIsAHandlerErrorToo() {
        AttemptOutcome outcome =
                run(
                        (event, ctx) -> {
                            throw new StackOverflowError();
                        },
                        EmitTopics.ANY);
        assertThat(outcome.failure()).isEqualTo(FailureKind.HANDLER_ERROR);
    }

    @Test
    void aFaultOfThePlatformAfterTheHandlerReturnedIsAPlatformError() {
        EmitTopics broken =
                topics -> {
                    throw new IllegalStateException("admin client closed");
                };
        AttemptOutcome outcome =
                run(
                        (event, ctx) -> {
                            ctx.emit(OutgoingEvent.record("orders", "k", new byte[] {1}));
                            ctx.logger().info("done");
                            return Result.empty();
                        },
                        broken);
        assertThat(outcome.failure()).isEqualTo(FailureKind.PLATFORM_ERROR);
        assertThat(outcome.reason())
                .contains("internal platform error, not caused by the function")
                .contains("admin client closed")
                .contains("report it");
        assertThat(outcome.emitted()).isEmpty();
        assertThat(outcome.logs()).hasSize(1);
    }

    @Test
    void aTopicThatCannotBeWrittenIsStillABadResult() {
        AttemptOutcome outcome =
                run(
                        (event, ctx) -> {
                            ctx.emit(OutgoingEvent.record("orders", "k", new byte[] {1}));
                            return Result.empty();
                        },
                        topics -> Optional.of("no such topic"));
        assertThat(outcome.failure()).isEqualTo(FailureKind.BAD_RESULT);
    }

    @Test
    void aPlatformErrorIsDeadLetteredAsOneWithAGatewayStatusOf500() {
        List<OutputRecord> out =
                Outcomes.failure(
                        INVOCATION,
                        0,
                        FailureKind.PLATFORM_ERROR,
                        Failures.platform(new RuntimeException("x")));
        OutputRecord dlq =
                out.stream().filter(r -> r.topic.equals(Topics.DLQ)).findFirst().orElseThrow();
        DeadLetter letter = AvroCodec.of(DeadLetter.class).decode(dlq.value);
        assertThat(letter.getKind()).isEqualTo(FailureKind.PLATFORM_ERROR);
        assertThat(Outcomes.statusFor(FailureKind.PLATFORM_ERROR)).isEqualTo(500);
        assertThat(out).extracting(r -> r.topic).contains(Topics.RESULTS);
    }
}
