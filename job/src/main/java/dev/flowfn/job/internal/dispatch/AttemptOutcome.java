package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.Result;
import dev.flowfn.job.internal.OutputRecord;
import dev.flowfn.schemas.FailureKind;
import dev.flowfn.schemas.LogRecord;
import java.util.List;
import java.util.Map;

/**
 * How one attempt ended: a result (its data, content type or null, HTTP status and headers), or a
 * failure kind with a reason; with what it logged and emitted.
 */
record AttemptOutcome(
        byte[] data,
        String contentType,
        int status,
        Map<String, String> headers,
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
        return ok(
                result.data(),
                result.contentType().orElse(null),
                result.status(),
                result.headers(),
                startMicros,
                durationMicros,
                ctx);
    }

    /** A result as a worker sent it: data not copied, content type possibly null. */
    static AttemptOutcome ok(
            byte[] data,
            String contentType,
            int status,
            Map<String, String> headers,
            long startMicros,
            long durationMicros,
            InvocationContext ctx) {
        return new AttemptOutcome(
                data,
                contentType,
                status,
                headers,
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
                null,
                null,
                0,
                Map.of(),
                kind,
                reason,
                startMicros,
                durationMicros,
                ctx.sealLogs(),
                List.of());
    }

    /**
     * The platform failed around the handler (not the handler itself): the attempt's emitted events
     * are dropped without encoding them, since encoding may be what failed.
     */
    static AttemptOutcome platformError(
            String reason, long startMicros, long durationMicros, InvocationContext ctx) {
        return new AttemptOutcome(
                null,
                null,
                0,
                Map.of(),
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
                null,
                null,
                0,
                Map.of(),
                FailureKind.CODE_LOAD,
                String.valueOf(error),
                0,
                0,
                List.of(),
                List.of());
    }
}
