package dev.flowfn.worker;

/**
 * A function version that cannot load ({@code LOAD_FAILED}, kind CODE_LOAD); the message names the
 * fix.
 */
final class CodeLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    CodeLoadException(String message) {
        super(message);
    }

    CodeLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
