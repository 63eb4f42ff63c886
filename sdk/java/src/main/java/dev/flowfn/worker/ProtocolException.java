package dev.flowfn.worker;

/**
 * A frame that breaks the protocol: a bad length, an unknown or unexpected type, a header that is
 * not the JSON object its type needs. The worker says what it was on stderr and exits with status
 * 2.
 */
final class ProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
