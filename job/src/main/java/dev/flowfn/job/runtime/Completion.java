package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Progress;
import java.util.List;
import java.util.Objects;

/**
 * One finished attempt, with what its invocation sent while it ran.
 *
 * @param invocationId the id of its {@code INVOKE}
 * @param outcome its result or failure
 * @param logs its log lines, in order
 * @param progress its progress reports, in order
 * @param emitted the events it emitted, in order; always empty for a {@link Outcome.Failure} (they
 *     leave only with a successful result)
 */
public record Completion(
        String invocationId,
        Outcome outcome,
        List<Log> logs,
        List<Progress> progress,
        List<Emit> emitted) {

    public Completion {
        Objects.requireNonNull(invocationId, "invocationId");
        Objects.requireNonNull(outcome, "outcome");
        logs = List.copyOf(logs);
        progress = List.copyOf(progress);
        emitted = outcome instanceof Outcome.Failure ? List.of() : List.copyOf(emitted);
    }

    public boolean succeeded() {
        return outcome instanceof Outcome.Success;
    }
}
