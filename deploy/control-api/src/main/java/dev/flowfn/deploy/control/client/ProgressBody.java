package dev.flowfn.deploy.control.client;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * A request body sent in chunks that reports each chunk to an {@link UploadListener} as the HTTP
 * client takes it. Its length is known, so the request keeps its {@code Content-Length} (no chunked
 * transfer encoding).
 */
final class ProgressBody {

    static final int CHUNK_BYTES = 64 * 1024;

    static BodyPublisher of(byte[] body, UploadListener listener) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofByteArrays(() -> chunks(body, listener)), body.length);
    }

    /** The body's chunks, in order; taking each one reports the bytes taken so far. */
    static Iterator<byte[]> chunks(byte[] body, UploadListener listener) {
        return new Iterator<>() {
            private int offset;

            @Override
            public boolean hasNext() {
                return offset < body.length;
            }

            @Override
            public byte[] next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int end = Math.min(body.length, offset + CHUNK_BYTES);
                byte[] chunk = Arrays.copyOfRange(body, offset, end);
                offset = end;
                listener.sent(end, body.length);
                return chunk;
            }
        };
    }

    private ProgressBody() {}
}
