package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.contract.EventExtensions;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class InvocationsResourceTest {

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final FakeResults results = new FakeResults();
    private final InvocationsResource resource =
            new InvocationsResource(
                    registry, new Invocations(results, results, Duration.ZERO), results);

    private final FunctionSpec upper = TestSpecs.deployed("upper", 3);

    @Test
    void aSyncInvokeAnswersWithTheResult() throws Exception {
        results.answering(
                event ->
                        ResultHandoffTest.result(
                                event.getId(),
                                new String(event.getData().array(), StandardCharsets.UTF_8)
                                        .toUpperCase()));

        JsonReply reply =
                resource.invoke(upper, "hi".getBytes(StandardCharsets.UTF_8), "text/plain", false)
                        .get();

        assertThat(reply.status()).isEqualTo(200);
        String id = results.published.get(0).getId();
        assertThat(FunctionsResourceTest.body(reply))
                .containsEntry("invocationId", id)
                .containsEntry("data", "HI")
                .containsEntry("success", true)
                .containsEntry("durationMs", 1.5);
        assertThat(results.published.get(0).getExtensions())
                .containsEntry(EventExtensions.TARGET, "upper")
                .containsEntry(EventExtensions.MIN_VERSION, "3");
        assertThat(results.published.get(0).getDatacontenttype()).isEqualTo("text/plain");
        assertThat(results.waiting).isEmpty(); // nobody left waiting
    }

    @Test
    void anAsyncInvokeAnswers202WithTheIdOnceTheEventIsPublished() throws Exception {
        JsonReply reply = resource.invoke(upper, new byte[0], null, true).get();

        assertThat(reply.status()).isEqualTo(202);
        assertThat(FunctionsResourceTest.json(reply))
                .isEqualTo(Map.of("invocationId", results.published.get(0).getId()));
        assertThat(results.published.get(0).getDatacontenttype()).isNull();
    }

    @Test
    void aPublishFailureIsA503ThatSaysWhy() throws Exception {
        results.failPublishing(new TimeoutException("no broker"));

        JsonReply sync = resource.invoke(upper, new byte[0], null, false).get();
        JsonReply async = resource.invoke(upper, new byte[0], null, true).get();

        assertThat(sync).isEqualTo(JsonReply.error(503, "could not invoke: no broker"));
        assertThat(async.status()).isEqualTo(503);
        assertThat(FunctionsResourceTest.body(async).get("error").toString())
                .startsWith("could not invoke: ")
                .contains("no broker");
    }

    @Test
    void noResultWithinTheFunctionsRunTimeIsA504ThatSaysTheInvocationIsNotLost() throws Exception {
        FunctionSpec quick =
                DeployRequests.validate(TestSpecs.request("quick"))
                        .setTimeoutMs(20)
                        .setVersion(1)
                        .setCodeUri("s3://code/quick")
                        .setCodeSha256("0")
                        .build();
        quick.getRetry().setMaxAttempts(1);

        JsonReply reply = resource.invoke(quick, new byte[0], null, false).get();

        String id = results.published.get(0).getId();
        assertThat(reply.status()).isEqualTo(504);
        assertThat(FunctionsResourceTest.body(reply).get("error").toString())
                .startsWith("no result for invocation " + id + " within 0 s;")
                .endsWith("see 'flowfn result " + id + "' later");
        assertThat(results.waiting).isEmpty();
    }

    @Test
    void aRecentResultIsShown() {
        results.recent.put("abc", ResultHandoffTest.result("abc", "done"));

        JsonReply reply = resource.result("abc");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(FunctionsResourceTest.body(reply))
                .containsEntry("invocationId", "abc")
                .containsEntry("data", "done");
    }

    @Test
    void anUnknownResultIsA404ThatSaysWhereResultsStay() {
        assertThatThrownBy(() -> resource.result("abc"))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(404))
                .hasMessage(
                        "no result for invocation abc (yet): it is still running, or unknown, or"
                                + " older than the last 100000 results this server has seen;"
                                + " every result stays on flowfn.results");
    }

    @Test
    void theEventCarriesTheData() throws Exception {
        resource.invoke(upper, "x".getBytes(StandardCharsets.UTF_8), "", true).get();

        assertThat(results.published.get(0).getData()).isEqualTo(ByteBuffer.wrap(new byte[] {'x'}));
        assertThat(results.published.get(0).getDatacontenttype()).isNull();
    }
}
