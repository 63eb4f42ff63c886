package dev.flowfn.job.internal.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.flowfn.schemas.contract.ReplyBatch;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pushes to a real HTTP server standing in for a gateway's reply address. */
class RepliesTest {

    private HttpServer gateway;
    private final List<List<String>> posts = new CopyOnWriteArrayList<>();
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private final CountDownLatch firstPostArrived = new CountDownLatch(1);
    private final CountDownLatch releaseFirstPost = new CountDownLatch(1);
    private String address;

    @BeforeEach
    void startGateway() throws Exception {
        gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext(
                "/hooks/replies",
                exchange -> {
                    List<String> ids = new ArrayList<>();
                    assertThat(exchange.getRequestHeaders().getFirst("Content-Type"))
                            .isEqualTo(ReplyBatch.CONTENT_TYPE);
                    ReplyBatch.decode(
                            exchange.getRequestBody().readAllBytes(),
                            (id, result) -> ids.add(new String(id, StandardCharsets.UTF_8)));
                    posts.add(ids);
                    clientPorts.add(exchange.getRemoteAddress().getPort());
                    if (posts.size() == 1) {
                        firstPostArrived.countDown();
                        try {
                            releaseFirstPost.await(10, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
        gateway.start();
        address = "http://127.0.0.1:" + gateway.getAddress().getPort() + "/hooks/replies";
    }

    @AfterEach
    void stopGateway() {
        releaseFirstPost.countDown();
        gateway.stop(0);
    }

    @Test
    void resultsThatComeWhileAPostIsOnItsWayGoTogetherInTheNextInTheirOrder() throws Exception {
        Replies replies = new Replies();

        replies.push(address, "r-0", new byte[] {0});
        assertThat(firstPostArrived.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 500; i++) {
            replies.push(address, "r-" + i, new byte[] {(byte) i});
        }
        releaseFirstPost.countDown();

        awaitReceived(501);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i <= 500; i++) {
            expected.add("r-" + i);
        }
        assertThat(received()).containsExactlyElementsOf(expected);
        assertThat(posts.get(0)).as("an idle address sends at once").containsExactly("r-0");
        assertThat(posts).as("the 500 that waited went in one POST").hasSize(2);
    }

    @Test
    void anAddressThatDoesNotAnswerHoldsBackNeitherThePusherNorAnotherAddress() throws Exception {
        Replies replies = new Replies();
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int deadPort = closed.getAddress().getPort();
        closed.stop(0);
        releaseFirstPost.countDown();

        long t = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            replies.push("http://127.0.0.1:" + deadPort + "/hooks/replies", "x-" + i, new byte[0]);
        }
        replies.push("not a url at all", "y", new byte[0]);
        replies.push(address, "ok", new byte[0]);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t)).isLessThan(5);

        awaitReceived(1);
        assertThat(received()).containsExactly("ok");
    }

    @Test
    void onePostAfterAnotherGoesOverTheSameKeptAliveConnection() throws Exception {
        Replies replies = new Replies();
        releaseFirstPost.countDown();

        for (int i = 0; i < 20; i++) {
            replies.push(address, "r-" + i, new byte[] {(byte) i});
            awaitReceived(i + 1);
        }

        assertThat(posts).as("each result went alone: the address was idle").hasSize(20);
        assertThat(clientPorts)
                .as("one connection for all 20 POSTs")
                .containsOnly(clientPorts.get(0));
    }

    @Test
    void afterCloseAPushIsDroppedWithoutAnError() throws Exception {
        Replies replies = new Replies();
        releaseFirstPost.countDown();
        replies.push(address, "before", new byte[0]);
        awaitReceived(1);

        replies.close();
        replies.push(address, "after", new byte[0]);

        Thread.sleep(300);
        assertThat(received()).containsExactly("before");
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(received()).hasSize(count);
    }

    private List<String> received() {
        List<String> all = new ArrayList<>();
        posts.forEach(all::addAll);
        return all;
    }
}
