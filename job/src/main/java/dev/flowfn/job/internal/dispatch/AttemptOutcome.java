package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Result;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.LogRecord;
import java.util.List;

/**
 * How one attempt ended: a result, or a failure kind with a reason; with what it logged and
 * emitted.
 */
record AttemptOutcome(
        Result result,
        FailureKind failure,
        String reason,
        long startMicros,
        long durationMicros,
        List<LogRecord> logs,
        List<OutputRecord> emitted) {

    boolean succeeded() {
        return failure == null;
    }

    static AttemptOutcome ok(
            Result result, long startMicros, long durationMicros, InvocationContext ctx) {
        return new AttemptOutcome(
                result,
                null,
                null,
                startMicros,
                durationMicros,
                ctx.sealLogs(),
                ctx.emittedRecords());
    }

    static AttemptOutcome failed(
            FailureKind kind,
            String reason,
            long startMicros,
            long durationMicros,
            InvocationContext ctx) {
        ctx.emittedRecords(); // seal: a failed attempt's emitted events are dropped
        return new AttemptOutcome(
                null, kind, reason, startMicros, durationMicros, ctx.sealLogs(), List.of());
    }

    /**
     * The platform failed around the handler (not the handler itself): the attempt's emitted events
     * are dropped without encoding them, since encoding may be what failed.
     */
    static AttemptOutcome platformError(
            String reason, long startMicros, long durationMicros, InvocationContext ctx) {
        return new AttemptOutcome(
                null,
                FailureKind.PLATFORM_ERROR,
                reason,
                startMicros,
                durationMicros,
                ctx.sealLogs(),
                List.of());
    }

    /** The code could not be loaded: nothing ran (the invocation fails without an attempt). */
    static AttemptOutcome notRun(Throwable error) {
        return new AttemptOutcome(
                null, FailureKind.CODE_LOAD, String.valueOf(error), 0, 0, List.of(), List.of());
    }
}
