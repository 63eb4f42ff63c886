package dev.flowfn.schemas;

/** A function spec or trigger spec a user wrote is wrong; the message says how to fix it. */
public final class InvalidSpecException extends IllegalArgumentException {

    public InvalidSpecException(String message) {
        super(message);
    }
}
