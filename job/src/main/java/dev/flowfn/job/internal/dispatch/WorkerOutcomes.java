package dev.flowfn.job.internal.dispatch;

import dev.flowfn.api.FunctionLogger;
import dev.flowfn.api.OutgoingEvent;
import dev.flowfn.job.runtime.Completion;
import dev.flowfn.job.runtime.Outcome;
import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Progress;
import dev.flowfn.schemas.FailureKind;
import java.util.Locale;

/**
 * What a worker's answer to one attempt means for the platform: its log lines, progress and emitted
 * events go through the attempt's {@link InvocationContext} (the same limits and records as a
 * handler in the job), and its result or failure becomes an {@link AttemptOutcome} with the
 * platform's failure kind and a reason that names the fix. Stateless; any thread.
 */
final class WorkerOutcomes {

    /**
     * The attempt's outcome; a {@code CODE_LOAD} answer is not one (the version never ran): see
     * {@link #codeLoadFailure}.
     */
    static AttemptOutcome of(
            Completion completion,
            InvocationContext ctx,
            EmitTopics emitTopics,
            long startMicros,
            long startNanos,
            boolean replayProgress) {
        for (Log line : completion.logs()) {
            ctx.logger().log(level(line.level()), line.message());
        }
        if (replayProgress) { // reports that were not published while the attempt ran
            for (Progress p : completion.progress()) {
                ctx.progress(p.fraction() == null ? Double.NaN : p.fraction(), p.message());
            }
        }
        if (completion.outcome() instanceof Outcome.Success ok) {
            String badEmit = null;
            for (Emit e : completion.emitted()) {
                try {
                    ctx.emit(outgoing(e));
                } catch (IllegalArgumentException | NullPointerException bad) {
                    badEmit =
                            "the handler emitted an event the platform refuses: "
                                    + bad.getMessage();
                }
            }
            long duration = ok.durationUs() > 0 ? ok.durationUs() : Outcomes.micros(startNanos);
            String problem =
                    badEmit != null
                            ? badEmit
                            : emitTopics.problem(ctx.emittedTopics()).orElse(null);
            if (problem != null) {
                return AttemptOutcome.failed(
                        FailureKind.BAD_RESULT, problem, startMicros, duration, ctx);
            }
            return AttemptOutcome.ok(
                    ok.data(),
                    ok.contentType(),
                    ok.status(),
                    ok.headers(),
                    startMicros,
                    duration,
                    ctx);
        }
        Outcome.Failure failed = (Outcome.Failure) completion.outcome();
        long duration = failed.durationUs() > 0 ? failed.durationUs() : Outcomes.micros(startNanos);
        String message = failed.message();
        return switch (failed.kind()) {
            case HANDLER_ERROR ->
                    AttemptOutcome.failed(
                            FailureKind.HANDLER_ERROR,
                            "handler threw " + message + firstStackLine(failed.stack()),
                            startMicros,
                            duration,
                            ctx);
            case REMOTE_ERROR ->
                    AttemptOutcome.failed(
                            FailureKind.HANDLER_ERROR, message, startMicros, duration, ctx);
            case BAD_RESULT ->
                    AttemptOutcome.failed(
                            FailureKind.BAD_RESULT, message, startMicros, duration, ctx);
            case WORKER_EXITED ->
                    AttemptOutcome.failed(
                            FailureKind.WORKER_EXITED,
                            message
                                    + ". A handler that exits the process (System.exit,"
                                    + " process.exit, sys.exit) or crashes ends its worker; the"
                                    + " event is retried per the function's retry policy",
                            startMicros,
                            duration,
                            ctx);
            case OUT_OF_MEMORY ->
                    AttemptOutcome.failed(
                            FailureKind.OUT_OF_MEMORY,
                            "the function ran out of its "
                                    + ctx.memoryMb()
                                    + " MB of memory: deploy it with a larger --memory, or make"
                                    + " it use less ("
                                    + message
                                    + ")",
                            startMicros,
                            duration,
                            ctx);
            case WORKER_START ->
                    AttemptOutcome.platformError(
                            Failures.platformReason("no worker could be started: " + message),
                            startMicros,
                            duration,
                            ctx);
            case UNKNOWN_FUNCTION, CODE_LOAD ->
                    AttemptOutcome.platformError(
                            Failures.platformReason(
                                    "the worker did not have the version loaded: " + message),
                            startMicros,
                            duration,
                            ctx);
        };
    }

    /** The reason of a version whose code a worker could not load, or null when it loaded. */
    static String codeLoadFailure(Completion completion) {
        return completion.outcome() instanceof Outcome.Failure f
                        && f.kind() == dev.flowfn.job.runtime.WorkerFailureKind.CODE_LOAD
                ? f.message()
                : null;
    }

    private static OutgoingEvent outgoing(Emit e) {
        return e.topic() != null
                ? OutgoingEvent.record(e.topic(), e.key(), e.data())
                : OutgoingEvent.of(e.eventType(), e.subject(), e.data(), e.contentType());
    }

    private static FunctionLogger.Level level(String wire) {
        try {
            return FunctionLogger.Level.valueOf(wire.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return FunctionLogger.Level.INFO;
        }
    }

    private static String firstStackLine(String stack) {
        if (stack == null || stack.isBlank()) {
            return "";
        }
        for (String line : stack.split("\n")) {
            String l = line.strip();
            if (l.startsWith("at ") || l.startsWith("File ")) {
                return " (" + l + ")";
            }
        }
        return "";
    }

    private WorkerOutcomes() {}
}
