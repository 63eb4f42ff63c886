package dev.flowfn.worker;

/**
 * A frame the worker was about to send is over the protocol's 64 MiB: an emitted event, a result or
 * a log line too large for one frame.
 */
final class FrameTooLargeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final long bytes;

    FrameTooLargeException(MessageType type, long bytes) {
        super(
                "a "
                        + type
                        + " frame of "
                        + bytes
                        + " bytes is over the protocol's limit of "
                        + FrameCodec.MAX_FRAME
                        + " (64 MiB)");
        this.bytes = bytes;
    }

    long bytes() {
        return bytes;
    }
}
