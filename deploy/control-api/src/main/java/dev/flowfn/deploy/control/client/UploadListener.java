package dev.flowfn.deploy.control.client;

/**
 * Told how far an upload has gone. Threads: called on the HTTP client's threads, as it takes the
 * next chunk of the body to send, so an implementation must be thread-safe and quick.
 */
@FunctionalInterface
public interface UploadListener {

    UploadListener NONE = (sent, total) -> {};

    /** {@code sent} of {@code total} bytes of the request body are handed to the connection. */
    void sent(long sent, long total);
}
