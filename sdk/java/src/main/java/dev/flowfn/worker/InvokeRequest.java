package dev.flowfn.worker;

import java.time.Instant;

/**
 * An {@code INVOKE}: one attempt of an invocation, with its event.
 *
 * @param attempt 1 for the first attempt
 * @param deadline when the job gives up on the attempt
 * @param memoryMb the function's memory, or -1 when the INVOKE does not say (then the LOAD's
 *     counts)
 */
record InvokeRequest(
        String id,
        String function,
        long version,
        int attempt,
        Instant deadline,
        int memoryMb,
        InvokedEvent event) {

    static InvokeRequest of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new InvokeRequest(
                h.text("id"),
                h.text("function"),
                h.integer("version"),
                (int) h.integerOr("attempt", 1),
                Instant.ofEpochMilli(h.integer("deadline")),
                (int) h.integerOr("memoryMb", -1),
                InvokedEvent.of(h.object("event"), frame.body()));
    }

    String key() {
        return LoadRequest.key(function, version);
    }
}
