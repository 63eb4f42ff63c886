package dev.flowfn.deploy.connect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The REST API of a Kafka Connect cluster (any of its workers): its version, the connector plugins
 * its workers have, and connectors created or updated by name ({@code PUT /connectors/NAME/config},
 * which a distributed cluster forwards to its leader and keeps in its config topic).
 *
 * <p>Threads: any; each call is one HTTP request.
 */
public final class ConnectRestClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ConnectRestClient(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text : text + "/");
    }

    public URI url() {
        return base;
    }

    /** The Kafka version of the worker that answered. */
    public String version() throws IOException, InterruptedException {
        return send(get(""), "read its version").path("version").asText("?");
    }

    /** The connector classes the workers can run. */
    public Set<String> connectorClasses() throws IOException, InterruptedException {
        Set<String> classes = new LinkedHashSet<>();
        send(get("connector-plugins"), "list its connector plugins")
                .forEach(p -> classes.add(p.path("class").asText()));
        return classes;
    }

    /**
     * Creates the connector or replaces its configuration.
     *
     * @return true when it was created, false when it existed
     */
    public boolean put(String name, Map<String, String> config)
            throws IOException, InterruptedException {
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("connectors/" + name + "/config"))
                        .timeout(TIMEOUT)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(config)))
                        .build();
        HttpResponse<String> response = exchange(request, "configure connector " + name);
        return response.statusCode() == 201;
    }

    /** The state of a connector and of each of its tasks, with the trace of a failed one. */
    public Status status(String name) throws IOException, InterruptedException {
        JsonNode s = send(get("connectors/" + name + "/status"), "read the status of " + name);
        List<String> tasks = new ArrayList<>();
        String trace = s.path("connector").path("trace").asText(null);
        for (JsonNode t : s.path("tasks")) {
            tasks.add(t.path("state").asText());
            if (trace == null && t.hasNonNull("trace")) {
                trace = t.path("trace").asText();
            }
        }
        return new Status(
                s.path("connector").path("state").asText("UNKNOWN"),
                s.path("connector").path("worker_id").asText(""),
                tasks,
                trace);
    }

    /**
     * A connector's state (RUNNING, PAUSED, FAILED, UNASSIGNED...) and its tasks'.
     *
     * @param trace the stack trace of the connector or a task that failed, or null
     */
    public record Status(String state, String workerId, List<String> tasks, String trace) {

        public boolean running() {
            return state.equals("RUNNING")
                    && !tasks.isEmpty()
                    && tasks.stream().allMatch("RUNNING"::equals);
        }

        public boolean failed() {
            return state.equals("FAILED") || tasks.contains("FAILED");
        }

        /** The first line of the trace: the exception and its message. */
        public String reason() {
            return trace == null ? "" : trace.lines().findFirst().orElse("");
        }
    }

    private HttpRequest get(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).GET().build();
    }

    private JsonNode send(HttpRequest request, String what)
            throws IOException, InterruptedException {
        return JSON.readTree(exchange(request, what).body());
    }

    private HttpResponse<String> exchange(HttpRequest request, String what)
            throws IOException, InterruptedException {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new IOException(
                    "cannot reach Kafka Connect at "
                            + base
                            + " ("
                            + e
                            + "); give the REST URL of a Connect worker, like http://connect:8083",
                    e);
        }
        if (response.statusCode() / 100 != 2) {
            String message = response.body();
            try {
                message = JSON.readTree(response.body()).path("message").asText(message);
            } catch (IOException notJson) {
                // keep the body as it is
            }
            throw new IOException(
                    "Kafka Connect at "
                            + base
                            + " refused to "
                            + what
                            + ": HTTP "
                            + response.statusCode()
                            + " "
                            + message);
        }
        return response;
    }
}
