package dev.flowfn.worker;

/** The message types of the runtime protocol v2 (sdk/PROTOCOL.md, "Messages"). */
enum MessageType {
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
    /**
     * An INVOKE whose header is binary (protocol 2): the job sends it to a worker of protocol 2.
     */
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

    /** The type byte. */
    int code() {
        return code;
    }

    /** Whether the job sends it to a worker (the high bit of the code), rather than receives it. */
    boolean toWorker() {
        return (code & 0x80) != 0;
    }

    /**
     * @throws ProtocolException for a code the protocol does not have
     */
    static MessageType of(int code) throws ProtocolException {
        MessageType t = code >= 0 && code < 256 ? BY_CODE[code] : null;
        if (t == null) {
            throw new ProtocolException("unknown message type 0x" + Integer.toHexString(code));
        }
        return t;
    }
}
