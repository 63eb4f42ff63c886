package dev.flowfn.schemas;

/** A record on a topic could not be decoded; the message says why, for a dead letter. */
public final class UndecodableRecordException extends RuntimeException {

    public UndecodableRecordException(String message) {
        super(message);
    }

    public UndecodableRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
