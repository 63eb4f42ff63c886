package dev.flowfn.deploy.control.client;

/**
 * Told how far an upload has gone. Threads: called on the thread that sends the request, after each
 * chunk is written to the connection.
 */
@FunctionalInterface
public interface UploadListener {

    UploadListener NONE = (sent, total) -> {};

    /** {@code sent} of {@code total} bytes of the request body are written to the connection. */
    void sent(long sent, long total);
}
