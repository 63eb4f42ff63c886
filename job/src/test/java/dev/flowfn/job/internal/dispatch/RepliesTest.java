package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flowfn.schemas.contract.ReplyBatch;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes to a real HTTP server standing in for a gateway's reply address. */
class RepliesTest {

    /** Longer than any test waits: a stream ends only when a test wants it to. */
    private static final Duration LONG_IDLE = Duration.ofSeconds(30);

    private HttpServer gateway;
    private final ExecutorService gatewayThreads = Executors.newCachedThreadPool();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final AtomicInteger streamsEnded = new AtomicInteger();
    private String address;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.setExecutor(gatewayThreads);
        gateway.createContext(
                "/hooks/replies",
                exchange -> {
                    assertThat(exchange.getRequestHeaders().getFirst("Content-Type"))
                            .isEqualTo(ReplyBatch.CONTENT_TYPE);
                    clientPorts.add(exchange.getRemoteAddress().getPort());
                    ReplyBatch.decode(
                            exchange.getRequestBody(),
                            (id, result) -> received.add(new String(id, StandardCharsets.UTF_8)),
                            1 << 20);
                    streamsEnded.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        gateway.start();
        address = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/hooks/replies";
    }

    @AfterEach
    void stopGateway() {
        gateway.stop(0);
        gatewayThreads.shutdownNow();
    }

    @Test
    void resultsArriveAsTheyArePushedInOneStreamInTheirOrder() throws Exception {
        Replies replies = new Replies(LONG_IDLE);

        replies.push(address, "r-0", new byte[] {0});
        awaitReceived(1);
        for (int i = 1; i <= 500; i++) {
            replies.push(address, "r-" + i, new byte[] {(byte) i});
        }
        awaitReceived(501);

        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 500; i++) {
            expected.add("r-" + i);
        }
        assertThat(received).containsExactlyElementsOf(expected);
        assertThat(streamsEnded).as("every result went while the stream was open").hasValue(0);
        assertThat(clientPorts).as("one stream").hasSize(1);
        replies.close();
    }

    @Test
    void anIdleStreamEndsAndTheNextGoesOverTheSameKeptAliveConnection() throws Exception {
        Replies replies = new Replies(Duration.ofMillis(100));

        replies.push(address, "a", new byte[0]);
        awaitReceived(1);
        awaitStreamsEnded(1);
        replies.push(address, "b", new byte[0]);
        awaitReceived(2);
        awaitStreamsEnded(2);

        assertThat(received).containsExactly("a", "b");
        assertThat(clientPorts).as("two streams, one connection").hasSize(2);
        assertThat(clientPorts).containsOnly(clientPorts.get(0));
    }

    @Test
    void anAddressThatDoesNotAnswerHoldsBackNeitherThePusherNorAnotherAddress() throws Exception {
        Replies replies = new Replies(LONG_IDLE);
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int deadPort = closed.getAddress().getPort();
        closed.stop(0);

        long t = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            replies.push("http://127.0.0.1:" + deadPort + "/hooks/replies", "x-" + i, new byte[0]);
        }
        replies.push("not a url at all", "y", new byte[0]);
        replies.push(address, "ok", new byte[0]);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t)).isLessThan(5);

        awaitReceived(1);
        assertThat(received).containsExactly("ok");
        replies.close();
    }

    @Test
    void closeEndsTheOpenStreamAndDropsLaterPushesWithoutAnError() throws Exception {
        Replies replies = new Replies(LONG_IDLE);
        replies.push(address, "before", new byte[0]);
        awaitReceived(1);

        replies.close();
        awaitStreamsEnded(1);
        replies.push(address, "after", new byte[0]);

        Thread.sleep(300);
        assertThat(received).containsExactly("before");
    }

    @Test
    void theSubtasksOfATaskManagerShareOneStreamPerAddress() throws Exception {
        Replies first = Replies.acquire();
        Replies second = Replies.acquire();
        assertThat(second).isSameAs(first);

        List<Thread> subtasks = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String prefix = "s" + t + "-";
            Thread subtask =
                    new Thread(
                            () -> {
                                for (int i = 0; i < 250; i++) {
                                    first.push(address, prefix + i, new byte[0]);
                                }
                            });
            subtask.start();
            subtasks.add(subtask);
        }
        for (Thread t : subtasks) {
            t.join();
        }
        awaitReceived(1_000);
        assertThat(Set.copyOf(received)).as("each result once").hasSize(1_000);
        assertThat(clientPorts).as("one stream for all four").hasSize(1);

        Replies.release(first);
        second.push(address, "after one release", new byte[0]);
        awaitReceived(1_001);
        Replies.release(second);
        awaitStreamsEnded(1);
        Replies fresh = Replies.acquire();
        assertThat(fresh).as("the last release closed it").isNotSameAs(first);
        Replies.release(fresh);
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(received).hasSize(count);
    }

    /** Within 10 s, well short of {@link #LONG_IDLE}. */
    private void awaitStreamsEnded(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (streamsEnded.get() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(streamsEnded).hasValue(count);
    }
}
