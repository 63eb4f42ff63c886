package dev.flowfn.job.internal.code;

/** A function's code could not be fetched, verified or loaded; the message is for its owner. */
public final class CodeLoadException extends Exception {

    public CodeLoadException(String message) {
        super(message);
    }

    public CodeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
