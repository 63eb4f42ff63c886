package dev.flowfn.worker;

import java.util.Map;

/**
 * One message: its type, its header (a JSON object, keys in order) and its body (raw bytes, empty
 * when there are none).
 */
record Frame(MessageType type, Map<String, Object> header, byte[] body) {

    static final byte[] NO_BODY = new byte[0];

    Frame {
        body = body == null ? NO_BODY : body;
    }

    Frame(MessageType type, Map<String, Object> header) {
        this(type, header, NO_BODY);
    }

    @Override
    public String toString() {
        return type
                + " "
                + JsonWriter.write(header)
                + (body.length == 0 ? "" : " +" + body.length + " bytes");
    }
}
