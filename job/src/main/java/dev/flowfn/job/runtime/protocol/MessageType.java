package dev.flowfn.job.runtime.protocol;

import java.util.Arrays;

/**
 * The message types of the runtime protocol v2 ({@code sdk/PROTOCOL.md}), with their one-byte
 * codes. Codes from 0x80 up go from the job to the worker, the others from the worker to the job.
 */
public enum MessageType {
    HELLO(0x01),
    LOADED(0x02),
    LOAD_FAILED(0x03),
    RESULT(0x10),
    EMIT(0x11),
    LOG(0x12),
    PROGRESS(0x13),
    PONG(0x20),
    LOAD(0x81),
    INVOKE(0x90),
    /** An INVOKE with a binary header, for a worker of protocol 2 ({@link CompactInvoke}). */
    INVOKE_COMPACT(0x91),
    PING(0xA0),
    STOP(0xA1);

    private static final MessageType[] BY_CODE = new MessageType[256];

    static {
        for (MessageType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The type byte on the wire, 0..255. */
    public int code() {
        return code;
    }

    /** Whether the job sends this type (the worker receives it). */
    public boolean fromJob() {
        return code >= 0x80;
    }

    /**
     * The type of a code.
     *
     * @throws ProtocolException for a code protocol v2 does not define (a protocol error)
     */
    public static MessageType of(int code) throws ProtocolException {
        MessageType type = code >= 0 && code < 256 ? BY_CODE[code] : null;
        if (type == null) {
            throw new ProtocolException(
                    String.format(
                            "unknown message type 0x%02X (protocol v2 defines %s)",
                            code, Arrays.toString(values())));
        }
        return type;
    }

    @Override
    public String toString() {
        return String.format("%s (0x%02X)", name(), code);
    }
}
