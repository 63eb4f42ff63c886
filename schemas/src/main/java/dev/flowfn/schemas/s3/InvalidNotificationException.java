package dev.flowfn.schemas.s3;

/** A bucket notification that cannot be turned into events; the message says what is wrong. */
public final class InvalidNotificationException extends IllegalArgumentException {

    public InvalidNotificationException(String message) {
        super(message);
    }
}
