package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.api.HttpRequest;
import dev.flowfn.deploy.control.metrics.PrometheusText;
import dev.flowfn.schemas.FunctionKey;
import dev.flowfn.schemas.contract.EventExtensions;
import dev.flowfn.schemas.contract.ReplyBatch;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The HTTP trigger gateway on a free local port, with in-memory fakes behind it (no Kafka). */
class HttpGatewayIT {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final FakeResults results = new FakeResults();
    private final FunctionKeys keys =
            new FunctionKeys(new InMemoryTable<FunctionKey>(), Clock.systemUTC());
    private final HttpGateway gateway =
            new HttpGateway(
                    "127.0.0.1",
                    0,
                    1024,
                    Duration.ofSeconds(30),
                    registry,
                    keys,
                    results,
                    results,
                    new S3WebhookReceiver(null, results),
                    new PrometheusText());

    @AfterEach
    void stop() {
        gateway.close();
    }

    @Test
    void theConstructorServesNothingStartDoes() throws Exception {
        registry.with(TestSpecs.deployed("hello", 1, "http:route=/hello,auth=anonymous"));
        results.answering(e -> ResultHandoffTest.result(e.getId(), "hi there"));
        assertThat(gateway.routes().isEmpty()).isTrue();

        gateway.start();
        String base = "http://127.0.0.1:" + gateway.port();
        HttpResponse<String> r = HttpClients.send(HttpClients.to(base, "/hello?x=1"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("hi there");
        assertThat(r.headers().firstValue("X-Flowfn-Invocation"))
                .contains(results.published.get(0).getId());
        assertThat(results.published.get(0).getExtensions())
                .containsEntry(EventExtensions.TARGET, "hello")
                .containsEntry(HttpRequest.ROUTE, "/hello")
                .doesNotContainKey(EventExtensions.QUALIFIER);
    }

    @Test
    void aRouteThroughAnAliasAddressesTheAlias() throws Exception {
        registry.with(
                TestSpecs.deployed("hello", 2, "http:route=/hello,auth=anonymous,alias=prod"));
        results.answering(e -> ResultHandoffTest.result(e.getId(), "hi"));
        gateway.start();

        HttpResponse<String> r =
                HttpClients.send(HttpClients.to("http://127.0.0.1:" + gateway.port(), "/hello"));

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(results.published.get(0).getExtensions())
                .containsEntry(EventExtensions.TARGET, "hello")
                .containsEntry(EventExtensions.QUALIFIER, "prod")
                .containsEntry(EventExtensions.MIN_VERSION, "2");
    }

    @Test
    void routesFollowTheRegistryAndKeysAreChecked() throws Exception {
        registry.onChange(gateway::refreshRoutes);
        gateway.start();
        String base = "http://127.0.0.1:" + gateway.port();
        assertThat(HttpClients.send(HttpClients.to(base, "/secret")).statusCode()).isEqualTo(404);

        registry.put(TestSpecs.deployed("vault", 1, "http:route=/secret"), Duration.ofSeconds(1));
        results.answering(e -> ResultHandoffTest.result(e.getId(), "open"));
        HttpResponse<String> noKey = HttpClients.send(HttpClients.to(base, "/secret"));
        String key = keys.create("vault").key();
        HttpResponse<String> withKey =
                HttpClients.send(
                        HttpClients.to(base, "/secret").header("Authorization", "Bearer " + key));
        HttpResponse<String> wrongMethod =
                HttpClients.send(
                        HttpClients.to(base, "/secret")
                                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()));

        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.body()).contains("flowfn keys create vault");
        assertThat(withKey.statusCode()).isEqualTo(200);
        assertThat(withKey.body()).isEqualTo("open");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
        // the key never reaches the function
        assertThat(results.published.get(0).getExtensions().get(HttpRequest.HEADERS))
                .doesNotContain(key);
    }

    @Test
    void aResultTheJobPushesToTheReplyAddressAnswersTheRequest() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = echoRequestStarted();
        dev.flowfn.schemas.Event event = results.published.get(0);
        String replyTo = event.getExtensions().get(EventExtensions.REPLY_TO);
        String base = "http://127.0.0.1:" + gateway.port();
        assertThat(replyTo).isEqualTo(base + HttpGateway.REPLIES_PATH);

        // one push holds several requests' results; one nobody waits for is taken and dropped
        assertThat(
                        pushBatch(
                                        replyTo,
                                        Map.of(
                                                "someone-else",
                                                "not for you",
                                                event.getId(),
                                                "pushed"))
                                .statusCode())
                .isEqualTo(204);

        HttpResponse<String> r = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("pushed");
        assertThat(results.waiting).as("nothing kept once answered").isEmpty();
    }

    @Test
    void aResultInAStreamedPushAnswersItsRequestBeforeTheStreamEnds() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = echoRequestStarted();
        String id = results.published.get(0).getId();
        byte[] entry =
                ReplyBatch.encode(List.of(new ReplyBatch.Entry(id, encodedResult(id, "streamed"))));

        try (Socket job = new Socket("127.0.0.1", gateway.port())) {
            OutputStream out = job.getOutputStream();
            out.write(
                    ("POST "
                                    + HttpGateway.REPLIES_PATH
                                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                                    + ReplyBatch.CONTENT_TYPE
                                    + "\r\nTransfer-Encoding: chunked\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(
                    (Integer.toHexString(entry.length) + "\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            out.write(entry);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();

            // the stream is still open: the gateway handed the entry on as it arrived
            HttpResponse<String> r = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(r.body()).isEqualTo("streamed");

            out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status =
                    new BufferedReader(
                                    new InputStreamReader(
                                            job.getInputStream(), StandardCharsets.US_ASCII))
                            .readLine();
            assertThat(status).isEqualTo("HTTP/1.1 204 No Content");
        }
    }

    @Test
    void aSingleResultPushedTheWayEarlierJobsDidStillAnswersTheRequest() throws Exception {
        CompletableFuture<HttpResponse<String>> answer = echoRequestStarted();
        dev.flowfn.schemas.Event event = results.published.get(0);
        String replyTo = event.getExtensions().get(EventExtensions.REPLY_TO);

        assertThat(push(replyTo, event.getId(), "single").statusCode()).isEqualTo(204);

        HttpResponse<String> r = answer.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.body()).isEqualTo("single");
    }

    @Test
    void bodiesUpToTheLimitArriveWholeWithOrWithoutALengthAndLongAnswersLeaveWhole()
            throws Exception {
        registry.with(
                TestSpecs.deployed("echo", 1, "http:route=/echo,methods=POST,auth=anonymous"));
        String longAnswer = "a".repeat(3 * HttpGateway.RESPONSE_COPY_BYTES + 17);
        results.answering(
                e -> {
                    java.nio.ByteBuffer data = e.getData().duplicate();
                    return ResultHandoffTest.result(
                            e.getId(), data.remaining() + " bytes, " + longAnswer);
                });
        gateway.start();
        String base = "http://127.0.0.1:" + gateway.port();
        byte[] atLimit = new byte[1024];
        java.util.Arrays.fill(atLimit, (byte) 'b');

        HttpResponse<String> sized = postEcho(base, BodyPublishers.ofByteArray(atLimit));
        HttpResponse<String> chunked = postEcho(base, chunked(atLimit, 600));
        HttpResponse<String> overSized = postEcho(base, BodyPublishers.ofByteArray(new byte[1025]));
        HttpResponse<String> overChunked = postEcho(base, chunked(new byte[5000], 5000));

        assertThat(sized.statusCode()).isEqualTo(200);
        assertThat(sized.body()).isEqualTo("1024 bytes, " + longAnswer);
        assertThat(chunked.statusCode()).isEqualTo(200);
        assertThat(chunked.body()).isEqualTo("600 bytes, " + longAnswer);
        assertThat(overSized.statusCode()).isEqualTo(413);
        assertThat(overChunked.statusCode()).isEqualTo(413);
        assertThat(results.published).as("only the bodies within the limit").hasSize(2);
    }

    @Test
    void aBatchThatDoesNotParseIsRefusedWithTheReason() throws Exception {
        gateway.start();
        HttpResponse<String> r =
                java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(
                                                java.net.URI.create(
                                                        "http://127.0.0.1:"
                                                                + gateway.port()
                                                                + HttpGateway.REPLIES_PATH))
                                        .header("Content-Type", ReplyBatch.CONTENT_TYPE)
                                        .POST(
                                                java.net.http.HttpRequest.BodyPublishers
                                                        .ofByteArray(new byte[] {0, 0, 0, 9, 1}))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("the stream ended inside the invocation id");
    }

    private static HttpResponse<String> postEcho(String base, BodyPublisher body) throws Exception {
        return HttpClients.send(HttpClients.to(base, "/echo").POST(body));
    }

    /** The first {@code length} bytes, sent without a Content-Length (chunked). */
    private static BodyPublisher chunked(byte[] bytes, int length) {
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes, 0, length));
    }

    /**
     * A synchronous request to an anonymous route {@code /echo}, on its way once the gateway has
     * published its event; the answer comes when a result does.
     */
    private CompletableFuture<HttpResponse<String>> echoRequestStarted() throws Exception {
        registry.with(TestSpecs.deployed("echo", 1, "http:route=/echo,auth=anonymous"));
        gateway.start();
        String base = "http://127.0.0.1:" + gateway.port();
        CompletableFuture<HttpResponse<String>> answer =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return HttpClients.send(HttpClients.to(base, "/echo"));
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (results.published.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(results.published).as("the request's event").isNotEmpty();
        return answer;
    }

    private static HttpResponse<String> pushBatch(String address, Map<String, String> texts)
            throws Exception {
        List<ReplyBatch.Entry> entries = new java.util.ArrayList<>();
        texts.forEach((id, text) -> entries.add(new ReplyBatch.Entry(id, encodedResult(id, text))));
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(address))
                                .header("Content-Type", ReplyBatch.CONTENT_TYPE)
                                .POST(
                                        java.net.http.HttpRequest.BodyPublishers.ofByteArray(
                                                ReplyBatch.encode(entries)))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> push(String address, String id, String text)
            throws Exception {
        byte[] encoded = encodedResult(id, text);
        return java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(address))
                                .header("X-Flowfn-Invocation", id)
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(encoded))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anUnstartedGatewayClosesQuietly() {
        // ControlServer closes everything when starting fails part way
        Assertions.assertThatCode(gateway::close).doesNotThrowAnyException();
    }

    private static byte[] encodedResult(String id, String text) {
        return dev.flowfn.schemas.AvroCodec.of(dev.flowfn.schemas.InvocationResult.class)
                .encode(ResultHandoffTest.result(id, text));
    }
}
