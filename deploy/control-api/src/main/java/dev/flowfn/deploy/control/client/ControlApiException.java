package dev.flowfn.deploy.control.client;

/**
 * The control server refused a request, or could not be reached: the message is what a user should
 * read (the server's own message where it gave one).
 */
public final class ControlApiException extends RuntimeException {
    ControlApiException(String message) {
        super(message);
    }
}
