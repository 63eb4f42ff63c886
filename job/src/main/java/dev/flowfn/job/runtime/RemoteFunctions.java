package dev.flowfn.job.runtime;

import dev.flowfn.job.runtime.protocol.Emit;
import dev.flowfn.job.runtime.protocol.Frame;
import dev.flowfn.job.runtime.protocol.FrameCodec;
import dev.flowfn.job.runtime.protocol.FrameDecoder;
import dev.flowfn.job.runtime.protocol.Invoke;
import dev.flowfn.job.runtime.protocol.Log;
import dev.flowfn.job.runtime.protocol.Message;
import dev.flowfn.job.runtime.protocol.Progress;
import dev.flowfn.job.runtime.protocol.ProtocolException;
import dev.flowfn.job.runtime.protocol.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code http} runtime: functions served by someone else at a URL, reached with the runtime
 * protocol's frames over HTTP ({@code sdk/PROTOCOL.md}, "Over HTTP"). Each attempt is one {@code
 * POST} of its {@code INVOKE} frame; the answer's {@code LOG}, {@code PROGRESS}, {@code EMIT} and
 * {@code RESULT} frames complete it. Any status but 200, an unreachable server or a broken answer
 * fails the attempt as the function's error (retried per its policy). A missed deadline cancels the
 * request. Thread-safe; completions arrive on the HTTP client's threads.
 */
public final class RemoteFunctions implements AutoCloseable {

    public static final String CONTENT_TYPE = "application/x-flowfn-frames";

    private final ExecutorService threads =
            Executors.newCachedThreadPool(
                    r -> {
                        Thread t = new Thread(r, "flowfn-remote-functions");
                        t.setDaemon(true);
                        return t;
                    });
    private final HttpClient client =
            HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(threads)
                    .build();

    /** Sends the task's attempt to the function at {@code url}. */
    public void submit(String url, WorkerPool.Task task) {
        Invoke invoke = task.invoke();
        AtomicBoolean ended = new AtomicBoolean();
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", CONTENT_TYPE)
                        .timeout(
                                Duration.ofMillis(
                                        Math.max(1, invoke.deadline() - System.currentTimeMillis())
                                                + 1_000))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(FrameCodec.encode(invoke)))
                        .build();
        CompletableFuture<HttpResponse<byte[]>> call =
                client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
        task.handedTo(reason -> call.cancel(true));
        call.whenComplete(
                (response, error) -> {
                    if (ended.compareAndSet(false, true)) {
                        task.completed(completion(url, invoke.id(), response, error));
                    }
                });
    }

    static Completion completion(
            String url, String id, HttpResponse<byte[]> response, Throwable error) {
        if (error != null) {
            return failed(id, "could not reach the function's server at " + url + ": " + error);
        }
        if (response.statusCode() != 200) {
            String body = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
            return failed(
                    id,
                    "the function's server at "
                            + url
                            + " answered HTTP "
                            + response.statusCode()
                            + (body.isBlank()
                                    ? ""
                                    : ": " + body.substring(0, Math.min(200, body.length()))));
        }
        List<Log> logs = new ArrayList<>();
        List<Progress> progress = new ArrayList<>();
        List<Emit> emitted = new ArrayList<>();
        try {
            FrameDecoder decoder = FrameCodec.decoder();
            for (Frame frame : decoder.push(ByteBuffer.wrap(response.body()))) {
                Message m = Message.of(frame);
                if (m instanceof Log l && id.equals(l.id())) {
                    logs.add(l);
                } else if (m instanceof Progress p && id.equals(p.id())) {
                    progress.add(p);
                } else if (m instanceof Emit e && id.equals(e.id())) {
                    emitted.add(e);
                } else if (m instanceof Result r && id.equals(r.id())) {
                    return new Completion(id, WorkerConnection.outcome(r), logs, progress, emitted);
                }
            }
        } catch (ProtocolException e) {
            return failed(
                    id,
                    "the function's server at "
                            + url
                            + " answered with frames that break the runtime protocol: "
                            + e.getMessage());
        }
        return failed(id, "the function's server at " + url + " answered without a RESULT");
    }

    private static Completion failed(String id, String message) {
        return new Completion(
                id,
                new Outcome.Failure(WorkerFailureKind.REMOTE_ERROR, message, null, 0),
                List.of(),
                List.of(),
                List.of());
    }

    /** Stops the client's threads; requests still pending end as failed attempts. */
    @Override
    public void close() {
        threads.shutdownNow();
    }
}
