package dev.flowfn.job.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FrameWriterTest {

    private ServerSocketChannel server;
    private SocketChannel job;
    private SocketChannel worker;

    @BeforeEach
    void connect() throws IOException {
        server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        job = SocketChannel.open(server.getLocalAddress());
        worker = server.accept();
    }

    @AfterEach
    void close() throws IOException {
        job.close();
        worker.close();
        server.close();
    }

    @Test
    void writeNowWritesOnTheCallersThreadWhenNothingIsQueuedAndTheSocketHasRoom()
            throws IOException {
        FrameWriter writer = new FrameWriter(job, "test"); // never started: no thread writes
        AtomicInteger asked = new AtomicInteger();

        boolean written =
                writer.writeNow(
                        List.of(bytes("ab"), bytes("cd")),
                        () -> {
                            asked.incrementAndGet();
                            return true;
                        });

        assertThat(written).isTrue();
        assertThat(asked).hasValue(1);
        assertThat(read(4)).isEqualTo("abcd");
    }

    @Test
    void writeNowWritesNothingWhenTheSocketMayNotTakeTheFrames() throws IOException {
        FrameWriter writer = new FrameWriter(job, "test");

        assertThat(writer.writeNow(List.of(bytes("ab")), () -> false)).isFalse();

        writer.writeNow(List.of(bytes("cd")), () -> true);
        assertThat(read(2)).isEqualTo("cd"); // "ab" never went out
    }

    @Test
    void writeNowLeavesTheFramesToTheQueueWhenFramesWaitThereSoTheyKeepTheirOrder() {
        FrameWriter writer = new FrameWriter(job, "test");
        writer.send(bytes("queued"));
        AtomicInteger asked = new AtomicInteger();

        boolean written =
                writer.writeNow(
                        List.of(bytes("ab")),
                        () -> {
                            asked.incrementAndGet();
                            return true;
                        });

        assertThat(written).isFalse();
        assertThat(asked).hasValue(0);
    }

    @Test
    void framesQueuedAndWrittenAtOnceAllArriveWhole() throws IOException {
        FrameWriter writer = new FrameWriter(job, "test");
        writer.start();
        writer.send(bytes("one,"));
        writer.sendAll(List.of(bytes("two,"), bytes("three,")));
        String got = read(14);
        // the queue has been written, so the next frames may go out on this thread
        while (!writer.writeNow(List.of(bytes("four")), () -> true)) {
            Thread.onSpinWait(); // the writer thread is between its write and its next take
        }
        writer.end();

        assertThat(got + read(4)).isEqualTo("one,two,three,four");
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
    }

    private String read(int n) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(n);
        while (buf.hasRemaining()) {
            if (worker.read(buf) < 0) {
                break;
            }
        }
        return new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
    }
}
