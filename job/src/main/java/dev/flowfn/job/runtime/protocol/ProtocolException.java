package dev.flowfn.job.runtime.protocol;

import java.io.IOException;

/**
 * A peer broke the runtime protocol: an unknown message type, a frame over the 64 MiB limit, a
 * header that is not the JSON object its type needs. The side that sees one says what it was and
 * closes the connection ({@code sdk/PROTOCOL.md}, "Protocol errors").
 */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
