package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.job.internal.OutputRecords;
import dev.flowfn.job.internal.code.ExitGuard;
import dev.flowfn.schemas.DeadLetter;
import dev.flowfn.schemas.Event;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationRecord;
import dev.flowfn.schemas.InvocationResult;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How attempts run and what they turn into: the handler call with its failure kinds, the meter
 * record of an attempt, and the output records of a finished invocation (result, dead letter,
 * emitted events, logs). Stateless; any thread.
 */
public final class Outcomes {

    private static final Logger LOG = LoggerFactory.getLogger(Outcomes.class);

    /**
     * Runs one attempt on this thread: what the handler threw is a HANDLER_ERROR; what the
     * platform's code around it threw is a PLATFORM_ERROR.
     *
     * @param exitMark this thread's {@link ExitGuard.Mark}
     */
    static AttemptOutcome runHandler(
            ExitGuard.Mark exitMark,
            Handler handler,
            ClassLoader code,
            Event event,
            String invocationId,
            InvocationContext ctx,
            EmitTopics emitTopics,
            long startNanos,
            long startMicros) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(code);
        try {
            Result result;
            exitMark.enter();
            try {
                result = handler.handle(new EventView(event), ctx);
            } catch (ExitGuard.HandlerExitException e) {
                return AttemptOutcome.failed(
                        FailureKind.HANDLER_ERROR,
                        e.getMessage(),
                        startMicros,
                        micros(startNanos),
                        ctx);
            } catch (Throwable e) { // only what the handler threw is the function's failure
                return AttemptOutcome.failed(
                        FailureKind.HANDLER_ERROR,
                        "handler threw " + Failures.describe(e),
                        startMicros,
                        micros(startNanos),
                        ctx);
            } finally {
                exitMark.exit();
            }
            long duration = micros(startNanos);
            ctx.seal();
            Set<String> topics = ctx.emittedTopics();
            String badResult =
                    result == null
                            ? "handler returned null; return Result.empty() when there is nothing to return"
                            : topics.isEmpty() ? null : emitTopics.problem(topics).orElse(null);
            return badResult != null
                    ? AttemptOutcome.failed(
                            FailureKind.BAD_RESULT, badResult, startMicros, duration, ctx)
                    : AttemptOutcome.ok(result, startMicros, duration, ctx);
        } catch (Throwable e) { // the platform's own code around the handler
            LOG.error("platform error around the handler of {}", invocationId, e);
            return AttemptOutcome.platformError(
                    Failures.platform(e), startMicros, micros(startNanos), ctx);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    static String timeoutReason(long timeoutMs) {
        return "handler ran past its timeout of "
                + Duration.ofMillis(timeoutMs).toString().substring(2).toLowerCase()
                + "; raise --timeout or make the handler faster";
    }

    /** What one attempt costs: billed milliseconds are the duration rounded up, at least 1. */
    static InvocationRecord meter(
            Invocation invocation, int attempt, AttemptOutcome outcome, boolean deadLettered) {
        long micros = outcome.durationMicros();
        FunctionSpec spec = invocation.spec;
        return InvocationRecord.newBuilder()
                .setInvocationId(invocation.invocationId)
                .setFunction(spec.getName())
                .setVersion(spec.getVersion())
                .setAttempt(attempt)
                .setStartMicros(outcome.startMicros())
                .setEndMicros(outcome.startMicros() + micros)
                .setDurationMicros(micros)
                .setBilledMs(Math.max(1, (micros + 999) / 1000))
                .setMemoryMb(spec.getMemoryMb())
                .setSuccess(outcome.succeeded())
                .setFailureKind(outcome.failure())
                .setDeadLettered(deadLettered)
                .build();
    }

    /**
     * The outputs of a finished invocation, in the order they go to the sink; returns the result
     * record among them.
     */
    static OutputRecord finish(
            Invocation invocation,
            AttemptOutcome outcome,
            boolean publishInvocations,
            Consumer<OutputRecord> out) {
        FunctionSpec spec = invocation.spec;
        // no builder (it copies every default) and no all-fields constructor (it boxes the longs
        // and ints): the plain constructor and the setters, per invocation
        InvocationResult result = new InvocationResult();
        result.setInvocationId(invocation.invocationId);
        result.setFunction(spec.getName());
        result.setVersion(spec.getVersion());
        result.setEventId(invocation.event.getId());
        result.setAttempts(invocation.attempts);
        result.setStartMicros(outcome.startMicros());
        result.setDurationMicros(outcome.durationMicros());
        result.setEmitted(outcome.emitted().size());
        if (outcome.succeeded()) {
            result.setSuccess(true);
            result.setData(ByteBuffer.wrap(outcome.data()));
            result.setContentType(outcome.contentType());
            result.setStatus(outcome.status());
            result.setHeaders(outcome.headers());
        } else {
            result.setSuccess(false);
            result.setData(ByteBuffer.wrap(new byte[0]));
            result.setFailureKind(outcome.failure());
            result.setError(outcome.reason());
            result.setStatus(statusFor(outcome.failure()));
            result.setHeaders(Map.of());
            out.accept(
                    OutputRecords.deadLetter(
                            deadLetter(
                                    invocation,
                                    invocation.attempts,
                                    outcome.failure(),
                                    outcome.reason())));
        }
        OutputRecord resultRecord = OutputRecords.result(result);
        out.accept(resultRecord);
        // most invocations emit and log nothing: no iterator over an empty list
        if (!outcome.emitted().isEmpty()) {
            outcome.emitted().forEach(out);
        }
        if (!invocation.logs().isEmpty()) {
            invocation.logs().forEach(l -> out.accept(OutputRecords.log(l)));
        }
        if (publishInvocations) {
            invocation.metered().forEach(m -> out.accept(OutputRecords.invocation(m)));
        }
        return resultRecord;
    }

    /** The HTTP status a gateway answers a failed invocation with. */
    static int statusFor(FailureKind kind) {
        return switch (kind) {
            case TIMEOUT -> 504;
            case UNKNOWN_FUNCTION -> 404;
            case PLATFORM_ERROR -> 500; // the platform's fault, not the function's (502)
            default -> 502;
        };
    }

    /** The outputs of an invocation that failed without an attempt outcome. */
    public static List<OutputRecord> failure(
            Invocation invocation, int attempts, FailureKind kind, String reason) {
        InvocationResult result =
                resultBuilder(invocation.spec, invocation, attempts)
                        .setSuccess(false)
                        .setFailureKind(kind)
                        .setStatus(statusFor(kind))
                        .setError(reason)
                        .setStartMicros(epochMicros())
                        .setDurationMicros(0)
                        .build();
        return List.of(
                OutputRecords.deadLetter(deadLetter(invocation, attempts, kind, reason)),
                OutputRecords.result(result));
    }

    private static InvocationResult.Builder resultBuilder(
            FunctionSpec spec, Invocation invocation, int attempts) {
        return InvocationResult.newBuilder()
                .setInvocationId(invocation.invocationId)
                .setFunction(spec.getName())
                .setVersion(spec.getVersion())
                .setEventId(invocation.event.getId())
                .setAttempts(attempts);
    }

    private static DeadLetter deadLetter(
            Invocation invocation, int attempts, FailureKind kind, String reason) {
        return DeadLetter.newBuilder()
                .setFunction(invocation.spec.getName())
                .setVersion(invocation.spec.getVersion())
                .setInvocationId(invocation.invocationId)
                .setKind(kind)
                .setReason(reason)
                .setAttempts(attempts)
                .setEvent(invocation.event)
                .setTime(Instant.now())
                .build();
    }

    static long epochMicros() {
        return epochMicros(Instant.now());
    }

    /** {@code time} in microseconds since the epoch. */
    static long epochMicros(Instant time) {
        return time.getEpochSecond() * 1_000_000L + time.getNano() / 1_000;
    }

    static long micros(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000;
    }

    private Outcomes() {}
}
