package dev.flowfn.deploy.s3store.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP server on loopback that records what a webhook receives and answers a set status. */
final class WebhookReceiver implements AutoCloseable {

    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile int status = 200;
    private final HttpServer server;

    WebhookReceiver(int port) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext(
                "/hooks/s3",
                exchange -> {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    authorizations.add(exchange.getRequestHeaders().getFirst("Authorization"));
                    int answer = status;
                    if (answer == 200) {
                        received.add(new ObjectMapper().readTree(body));
                    }
                    byte[] reply = ("{\"status\":" + answer + "}").getBytes();
                    exchange.sendResponseHeaders(answer, reply.length);
                    exchange.getResponseBody().write(reply);
                    exchange.close();
                });
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/s3");
    }

    int port() {
        return server.getAddress().getPort();
    }

    List<String> eventNames() {
        return received.stream().map(n -> n.get("EventName").asText()).toList();
    }

    List<String> keys() {
        return received.stream().map(n -> n.get("Key").asText()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
