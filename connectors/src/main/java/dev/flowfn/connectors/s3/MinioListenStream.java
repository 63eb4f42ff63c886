package dev.flowfn.connectors.s3;

import io.minio.Signer;
import java.io.IOException;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * MinIO's listen API ({@code GET /<bucket>?events=...&prefix=...&suffix=...&ping=...}, what the
 * SDK's {@code listenBucketNotification} calls), signed with the SDK's {@link Signer}, read on a
 * thread of its own. Each line MinIO writes (one notification JSON, exactly as a webhook or the
 * Kafka target gets it) is queued as is; the SDK's own iterator is not used because its
 * NotificationRecords drop the content type and user metadata.
 *
 * <p>The connection is re-opened after any failure (1, 2, 4 ... 30 s apart); each successful
 * (re)connection increments {@link #generation()}, so the task knows to catch up by a listing. A
 * refusal (403/401/404) is not retried: {@link #failure()} holds it for the task thread to throw.
 */
final class MinioListenStream implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MinioListenStream.class);
    private static final String EMPTY_SHA256 =
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    private static final int PING_SECONDS = 5;

    private final S3SourceConfig config;
    private final OkHttpClient http;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(100_000);
    private final AtomicInteger generation = new AtomicInteger();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();
    private final AtomicReference<Call> current = new AtomicReference<>();
    private final Thread reader;
    private volatile boolean closed;

    MinioListenStream(S3SourceConfig config) {
        this.config = config;
        this.http =
                new OkHttpClient.Builder()
                        .connectTimeout(10, TimeUnit.SECONDS)
                        // MinIO asks for pings every PING_SECONDS but (seen with a 2026 build) may
                        // send nothing while idle: a quiet stream is re-opened after this long,
                        // and the listing on reconnection covers the gap
                        .readTimeout(5, TimeUnit.MINUTES)
                        .build();
        this.reader = new Thread(this::run, "minio-listen-" + config.bucket());
        this.reader.setDaemon(true);
    }

    void start() {
        reader.start();
    }

    /** Incremented each time the stream is (re)connected and MinIO answered 200. */
    int generation() {
        return generation.get();
    }

    /** A refusal that retrying will not fix, or null. */
    RuntimeException failure() {
        return failure.get();
    }

    /** Waits up to {@code timeoutMs} for a line, then takes every queued one. */
    List<String> take(long timeoutMs) throws InterruptedException {
        List<String> out = new ArrayList<>();
        String first = lines.poll(timeoutMs, TimeUnit.MILLISECONDS);
        if (first != null) {
            out.add(first);
            lines.drainTo(out, 10_000);
        }
        return out;
    }

    private void run() {
        long backoffMs = 1000;
        while (!closed) {
            try {
                listenOnce();
                backoffMs = 1000; // served until the server ended it: reconnect at once
            } catch (Refused r) {
                failure.set(r);
                LOG.error("{}", r.getMessage());
                return;
            } catch (IOException | RuntimeException e) {
                if (closed) {
                    return;
                }
                LOG.warn(
                        "listening to s3://{} at {} failed ({}); retrying in {} ms",
                        config.bucket(),
                        config.endpoint(),
                        e.toString(),
                        backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 30_000);
            }
        }
    }

    private void listenOnce() throws IOException {
        Call call = http.newCall(signedRequest());
        current.set(call);
        if (closed) {
            return;
        }
        try (Response response = call.execute()) {
            if (!response.isSuccessful()) {
                String body = response.body().string();
                String what =
                        "MinIO refused to listen to s3://"
                                + config.bucket()
                                + " at "
                                + config.endpoint()
                                + ": HTTP "
                                + response.code()
                                + " "
                                + abbreviate(body);
                switch (response.code()) {
                    case 401, 403 ->
                            throw new Refused(
                                    what
                                            + "; check "
                                            + S3SourceConfig.ACCESS_KEY
                                            + " and "
                                            + S3SourceConfig.SECRET_KEY
                                            + " (the key needs s3:ListenBucketNotification)");
                    case 404 ->
                            throw new Refused(
                                    what
                                            + "; create the bucket or fix "
                                            + S3SourceConfig.BUCKET
                                            + " (and the endpoint must be a MinIO server: plain"
                                            + " S3 has no listen API, use the S3 poll connector)");
                    default -> throw new IOException(what);
                }
            }
            generation.incrementAndGet();
            LOG.info("listening to s3://{} at {}", config.bucket(), config.endpoint());
            BufferedSource source = response.body().source();
            while (!closed) {
                String line = source.readUtf8Line();
                if (line == null) {
                    return; // the server ended the stream
                }
                String json = line.strip();
                if (!json.isEmpty()) {
                    try {
                        lines.put(json);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    private Request signedRequest() {
        HttpUrl base = HttpUrl.get(URI.create(config.endpoint()));
        HttpUrl.Builder url = base.newBuilder().addPathSegment(config.bucket());
        // encoded as SigV4 canonicalizes (RFC 3986, ':' and '*' too), or the signature differs
        url.addEncodedQueryParameter("prefix", uriEncode(config.prefix()));
        url.addEncodedQueryParameter("suffix", uriEncode(config.suffix()));
        for (String event : config.getList(S3SourceConfig.LISTEN_EVENTS)) {
            url.addEncodedQueryParameter("events", uriEncode(event));
        }
        url.addEncodedQueryParameter("ping", Integer.toString(PING_SECONDS));
        HttpUrl u = url.build();
        String host =
                u.port() == HttpUrl.defaultPort(u.scheme()) ? u.host() : u.host() + ":" + u.port();
        Request request =
                new Request.Builder()
                        .url(u)
                        .get()
                        .header("Host", host)
                        .header("x-amz-date", ZonedDateTime.now(ZoneOffset.UTC).format(AMZ_DATE))
                        .header("x-amz-content-sha256", EMPTY_SHA256)
                        // uncompressed: a gzip stream would hold notifications in its buffer
                        .header("Accept-Encoding", "identity")
                        .build();
        if (config.accessKey().isEmpty()) {
            return request;
        }
        try {
            return Signer.signV4S3(
                    request, config.region(), config.accessKey(), config.secretKey(), EMPTY_SHA256);
        } catch (Exception e) {
            throw new IllegalStateException("cannot sign the listen request: " + e.getMessage(), e);
        }
    }

    /** RFC 3986 percent-encoding: everything but A-Z a-z 0-9 - _ . ~ */
    static String uriEncode(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(String.format("%02X", c & 0xff));
            }
        }
        return b.toString();
    }

    private static String abbreviate(String s) {
        String t = s.replaceAll("\\s+", " ").strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }

    @Override
    public void close() {
        closed = true;
        Call call = current.get();
        if (call != null) {
            call.cancel();
        }
        reader.interrupt();
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    /** MinIO said no in a way a retry will not change. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }
}
