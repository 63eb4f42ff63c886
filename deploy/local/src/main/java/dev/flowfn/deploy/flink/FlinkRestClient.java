package dev.flowfn.deploy.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A client of the REST API of a Flink 2.2 JobManager (the API its web UI and {@code flink run}
 * use), with {@code java.net.http} alone: upload and run a jar, read a job's state, stop it with a
 * savepoint, cancel it.
 *
 * <p>Errors are {@link IOException}s that say what to check. Program arguments may hold secrets
 * ({@code --flowfn.s3.secret-key ...}): they are never logged, and the values of secret options are
 * masked in every message this class builds ({@link ProgramArgs#masked}).
 *
 * <p>Threads: stateless apart from the HTTP client; any thread, concurrently.
 */
public final class FlinkRestClient implements FlinkCluster {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SHORT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;

    public FlinkRestClient(URI base) {
        String url = base.toString();
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        // Flink's REST server speaks HTTP/1.1 only
        this.http =
                HttpClient.newBuilder()
                        .version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5))
                        .build();
    }

    @Override
    public URI url() {
        return base;
    }

    /** The cluster's overview ({@code GET /overview}): checks it answers. */
    public JsonNode overview() throws IOException, InterruptedException {
        return send(get("overview"), "read the cluster overview");
    }

    @Override
    public Slots slots() throws IOException, InterruptedException {
        JsonNode overview = overview();
        return new Slots(
                overview.path("slots-total").asInt(),
                overview.path("slots-available").asInt(),
                overview.path("taskmanagers").asInt());
    }

    @Override
    public List<JobSummary> jobs() throws IOException, InterruptedException {
        List<JobSummary> jobs = new ArrayList<>();
        for (JsonNode job : send(get("jobs/overview"), "list jobs").path("jobs")) {
            jobs.add(
                    new JobSummary(
                            job.path("jid").asText(),
                            job.path("name").asText(),
                            job.path("state").asText(),
                            job.path("start-time").asLong()));
        }
        return jobs;
    }

    @Override
    public Map<String, String> jobParameters(String jobId)
            throws IOException, InterruptedException {
        JsonNode config =
                send(get("jobs/" + jobId + "/config"), "read the configuration of job " + jobId)
                        .path("execution-config")
                        .path("user-config");
        Map<String, String> parameters = new LinkedHashMap<>();
        config.fields().forEachRemaining(e -> parameters.put(e.getKey(), e.getValue().asText()));
        return parameters;
    }

    @Override
    public Optional<String> clusterOption(String key) throws IOException, InterruptedException {
        for (JsonNode option : send(get("jobmanager/config"), "read the cluster configuration")) {
            if (key.equals(option.path("key").asText())) {
                return Optional.of(option.path("value").asText());
            }
        }
        return Optional.empty();
    }

    /**
     * Uploads a job jar ({@code POST /jars/upload}, multipart field {@code jarfile}); returns its
     * jar id.
     */
    @Override
    public String uploadJar(Path jar) throws IOException, InterruptedException {
        String boundary = "flowfn-" + UUID.randomUUID();
        String head =
                "--"
                        + boundary
                        + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                        + jar.getFileName()
                        + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n";
        HttpRequest request =
                request("jars/upload", Duration.ofMinutes(5))
                        .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(
                                HttpRequest.BodyPublishers.concat(
                                        HttpRequest.BodyPublishers.ofString(head),
                                        HttpRequest.BodyPublishers.ofFile(jar),
                                        HttpRequest.BodyPublishers.ofString(
                                                "\r\n--" + boundary + "--\r\n")))
                        .build();
        String filename = send(request, "upload " + jar.getFileName()).path("filename").asText("");
        if (filename.isEmpty()) {
            throw new IOException(
                    "Flink at " + base + " accepted the upload of " + jar + " but named no jar id");
        }
        return Path.of(filename).getFileName().toString();
    }

    /** Whether a jar uploaded earlier is still on the cluster ({@code GET /jars}). */
    @Override
    public boolean hasJar(String jarId) throws IOException, InterruptedException {
        for (JsonNode file : send(get("jars"), "list jars").path("files")) {
            if (jarId.equals(file.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    public void deleteJar(String jarId) throws IOException, InterruptedException {
        send(request("jars/" + jarId, SHORT).DELETE().build(), "delete jar " + jarId);
    }

    /**
     * Runs an uploaded jar's main class ({@code POST /jars/<id>/run}); returns the job id. The main
     * method runs on the JobManager and returns once the job is submitted.
     *
     * @param savepointPath where to restore state from, or null for a fresh start (never dropping
     *     state that no operator claims)
     */
    @Override
    public String runJar(String jarId, ProgramArgs args, String savepointPath)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("programArgsList", args.list());
        if (savepointPath != null) {
            body.put("savepointPath", savepointPath);
        }
        body.put("allowNonRestoredState", false);
        HttpRequest request =
                request("jars/" + jarId + "/run", Duration.ofMinutes(3))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build();
        String jobId = send(request, "run the Flowfn job", args).path("jobid").asText("");
        if (jobId.isEmpty()) {
            throw new IOException(
                    "Flink at " + base + " ran jar " + jarId + " but returned no job id");
        }
        return jobId;
    }

    /**
     * The job's details ({@code GET /jobs/<id>}); empty if the cluster does not know it (any more).
     */
    @Override
    public Optional<JobDetails> job(String jobId) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = exchange(get("jobs/" + jobId), "read job " + jobId);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode job = parse(response, "read job " + jobId, ProgramArgs.NONE);
        List<Vertex> vertices = new ArrayList<>();
        job.path("vertices")
                .forEach(
                        v ->
                                vertices.add(
                                        new Vertex(
                                                v.path("name").asText(),
                                                v.path("parallelism").asInt(),
                                                v.path("maxParallelism").asInt(),
                                                v.path("status").asText())));
        return Optional.of(new JobDetails(jobId, job.path("state").asText(), vertices));
    }

    /**
     * The newest failure of the job, one line (from {@code GET /jobs/<id>/exceptions}); empty if
     * none.
     */
    @Override
    public Optional<String> lastFailure(String jobId) throws IOException, InterruptedException {
        JsonNode exceptions =
                send(get("jobs/" + jobId + "/exceptions"), "read the failures of job " + jobId);
        JsonNode entries = exceptions.path("exceptionHistory").path("entries");
        String trace =
                entries.size() > 0
                        ? entries.get(0).path("stacktrace").asText("")
                        : exceptions.path("root-exception").asText("");
        return trace.isBlank() ? Optional.empty() : Optional.of(FlinkErrors.summary(trace));
    }

    /**
     * The newest retained snapshot of a job: its latest externalized checkpoint or savepoint,
     * whichever completed last ({@code GET /jobs/<id>/checkpoints}); empty if the job is unknown or
     * has none.
     */
    @Override
    public Optional<Snapshot> latestSnapshot(String jobId)
            throws IOException, InterruptedException {
        HttpResponse<byte[]> response =
                exchange(get("jobs/" + jobId + "/checkpoints"), "read checkpoints of " + jobId);
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        JsonNode latest =
                parse(response, "read checkpoints of " + jobId, ProgramArgs.NONE).path("latest");
        Snapshot best = null;
        for (String kind : List.of("completed", "savepoint")) {
            JsonNode s = latest.path(kind);
            String path = s.path("external_path").asText("");
            long time = s.path("latest_ack_timestamp").asLong(0);
            // a checkpoint kept only in JobManager memory reads "<checkpoint-not-externalized>"
            if (!path.isEmpty()
                    && !path.startsWith("<")
                    && (best == null || time > best.epochMillis())) {
                best = new Snapshot(path, time);
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * Stops the job with a final savepoint in {@code targetDirectory} ({@code POST
     * /jobs/<id>/stop}), polls until it is written; returns its path.
     */
    @Override
    public String stopWithSavepoint(String jobId, String targetDirectory, Duration timeout)
            throws IOException, InterruptedException {
        Map<String, Object> body = Map.of("targetDirectory", targetDirectory, "drain", false);
        HttpRequest trigger =
                request("jobs/" + jobId + "/stop", SHORT)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                        .build();
        String triggerId =
                send(trigger, "stop job " + jobId + " with a savepoint")
                        .path("request-id")
                        .asText();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode status =
                    send(
                            get("jobs/" + jobId + "/savepoints/" + triggerId),
                            "poll the savepoint of " + jobId);
            if ("COMPLETED".equals(status.path("status").path("id").asText())) {
                JsonNode operation = status.path("operation");
                if (operation.hasNonNull("location")) {
                    return operation.get("location").asText();
                }
                throw new IOException(
                        "savepoint of job "
                                + jobId
                                + " into "
                                + targetDirectory
                                + " failed: "
                                + FlinkErrors.summary(
                                        operation
                                                .path("failure-cause")
                                                .path("stack-trace")
                                                .asText(operation.toString()))
                                + " (the JobManager and every TaskManager must be able to write there)");
            }
            Thread.sleep(200);
        }
        throw new IOException(
                "savepoint of job " + jobId + " not complete after " + timeout.toSeconds() + " s");
    }

    /** Cancels the job ({@code PATCH /jobs/<id>?mode=cancel}); retained checkpoints stay. */
    @Override
    public void cancel(String jobId) throws IOException, InterruptedException {
        send(
                request("jobs/" + jobId + "?mode=cancel", SHORT)
                        .method("PATCH", HttpRequest.BodyPublishers.noBody())
                        .build(),
                "cancel job " + jobId);
    }

    private HttpRequest get(String path) {
        return request(path, SHORT).GET().build();
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        return HttpRequest.newBuilder(base.resolve(path))
                .timeout(timeout)
                .header("Accept", "application/json");
    }

    private JsonNode send(HttpRequest request, String what)
            throws IOException, InterruptedException {
        return send(request, what, ProgramArgs.NONE);
    }

    private JsonNode send(HttpRequest request, String what, ProgramArgs args)
            throws IOException, InterruptedException {
        return parse(exchange(request, what), what, args);
    }

    private HttpResponse<byte[]> exchange(HttpRequest request, String what)
            throws IOException, InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (ConnectException | HttpConnectTimeoutException e) {
            throw new IOException(
                    "cannot reach Flink at "
                            + base
                            + "; is the JobManager running (and is its REST"
                            + " endpoint, rest.port, on that address)?",
                    e);
        } catch (IOException e) {
            throw new IOException(
                    "could not " + what + " on Flink at " + base + ": " + e.getMessage(), e);
        }
    }

    private JsonNode parse(HttpResponse<byte[]> response, String what, ProgramArgs args)
            throws IOException {
        String body = new String(response.body(), StandardCharsets.UTF_8);
        if (response.statusCode() >= 300) {
            throw new IOException(
                    "could not "
                            + what
                            + " on Flink at "
                            + base
                            + " (HTTP "
                            + response.statusCode()
                            + "): "
                            + args.mask(FlinkErrors.fromResponse(body)));
        }
        try {
            return body.isBlank() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new IOException(
                    "unexpected answer from Flink at "
                            + base
                            + " to "
                            + what
                            + "; is that URL a Flink 2.x JobManager?",
                    e);
        }
    }
}
