package dev.flowfn.worker;

/** Text that is not the JSON {@link JsonReader} accepts; the message says what and where. */
final class JsonException extends Exception {

    private static final long serialVersionUID = 1L;

    JsonException(String message) {
        super(message);
    }
}
