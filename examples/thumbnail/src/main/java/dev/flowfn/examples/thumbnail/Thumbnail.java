package dev.flowfn.examples.thumbnail;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Makes a thumbnail of every image uploaded to a bucket: deploy it with an s3 trigger, e.g. {@code
 * s3:bucket=photos,prefix=uploads/,suffix=.jpg,events=put}, and each upload {@code uploads/cat.jpg}
 * gets {@code thumbs/cat.jpg}, at most {@code THUMB_SIZE} pixels on its long side.
 *
 * <p>Environment: {@code THUMB_SIZE} (default 200), {@code THUMB_ENGINE} ({@code thumbnailator},
 * the default, pure Java; or {@code imagemagick}: {@code /usr/bin/convert}), {@code THUMB_PREFIX}
 * (default {@code thumbs/}). The object store's endpoint and keys come from the platform: {@code
 * FLOWFN_S3_ENDPOINT}, {@code FLOWFN_S3_ACCESS_KEY}, {@code FLOWFN_S3_SECRET_KEY}.
 *
 * <p>Idempotent: the thumbnail's key depends only on the upload's name, so a retried or repeated
 * event overwrites the same object. An upload that is not an image throws, so after its retries the
 * event lands on {@code flowfn.dlq} with the reason. Stateless, so safe on several threads at once.
 */
public final class Thumbnail implements Handler {

    /** Uploads larger than this are refused rather than read into memory. */
    static final long MAX_BYTES = 64L * 1024 * 1024;

    /**
     * One HTTP client for every invocation of this version: building MinIO's default client costs a
     * second or more (its TLS setup), the per-invocation {@link MinioClient} on top of it costs
     * nothing. Its idle connections and threads end on their own after okhttp's idle timeout once
     * the version is unloaded.
     */
    private volatile okhttp3.OkHttpClient http;

    @Override
    public Result handle(Event event, Context context) throws Exception {
        String bucket = event.extensions().get("s3bucket");
        String key = event.extensions().getOrDefault("s3key", event.subject().orElse(null));
        if (bucket == null || key == null) {
            throw new IllegalArgumentException(
                    "event "
                            + event.id()
                            + " of type "
                            + event.type()
                            + " is not an object-storage event (no s3bucket/s3key); deploy with"
                            + " --trigger 's3:bucket=...'");
        }
        int size = thumbSize(context);
        String prefix = context.env("THUMB_PREFIX").orElse("thumbs/");
        String name = key.substring(key.lastIndexOf('/') + 1);
        if (key.startsWith(prefix)) {
            // our own output: never make thumbnails of thumbnails, even if the trigger would allow
            context.logger().info("skipping s3://" + bucket + "/" + key + ": already a thumbnail");
            return Result.json("{\"skipped\":" + quote(key) + "}");
        }
        String format = format(name);
        String target = prefix + name;
        Scaler scaler = Scaler.named(context.env("THUMB_ENGINE").orElse(null));
        try (MinioClient s3 = client(context)) {
            byte[] original;
            try (InputStream in =
                    s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build())) {
                original = in.readNBytes((int) MAX_BYTES + 1);
            }
            if (original.length > MAX_BYTES) {
                throw new IllegalArgumentException(
                        "s3://" + bucket + "/" + key + " is over " + MAX_BYTES + " bytes");
            }
            byte[] thumb;
            try {
                thumb =
                        scaler.scale(
                                original,
                                size,
                                format,
                                Duration.between(Instant.now(), context.deadline()));
            } catch (Scaler.NotAnImageException e) {
                throw new IllegalArgumentException(
                        "s3://" + bucket + "/" + key + " is " + e.getMessage(), e);
            }
            s3.putObject(
                    PutObjectArgs.builder().bucket(bucket).object(target).stream(
                                    new ByteArrayInputStream(thumb), (long) thumb.length, -1L)
                            .contentType(contentType(format))
                            .build());
            context.logger()
                    .info(
                            "s3://%s/%s (%d bytes) -> s3://%s/%s (%d bytes)"
                                    .formatted(
                                            bucket,
                                            key,
                                            original.length,
                                            bucket,
                                            target,
                                            thumb.length));
            return Result.json(
                    "{\"source\":"
                            + quote("s3://" + bucket + "/" + key)
                            + ",\"thumbnail\":"
                            + quote("s3://" + bucket + "/" + target)
                            + ",\"bytes\":"
                            + thumb.length
                            + "}");
        }
    }

    static int thumbSize(Context context) {
        String text = context.env("THUMB_SIZE").orElse("200");
        try {
            int size = Integer.parseInt(text.trim());
            if (size >= 1 && size <= 10_000) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(
                "THUMB_SIZE '" + text + "' must be a number of pixels from 1 to 10000, e.g. 200");
    }

    /** The output format: the upload's own (jpg, png, gif); anything else becomes a JPEG. */
    static String format(String name) {
        String ext = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return switch (ext) {
            case "png" -> "png";
            case "gif" -> "gif";
            default -> "jpg";
        };
    }

    private static String contentType(String format) {
        return switch (format) {
            case "png" -> "image/png";
            case "gif" -> "image/gif";
            default -> "image/jpeg";
        };
    }

    private okhttp3.OkHttpClient http() {
        okhttp3.OkHttpClient h = http;
        if (h == null) {
            synchronized (this) {
                h = http;
                if (h == null) {
                    h = io.minio.Http.newDefaultClient();
                    http = h;
                }
            }
        }
        return h;
    }

    /** A client over the shared HTTP client; closing it leaves the shared one open. */
    private MinioClient client(Context context) {
        String endpoint =
                context.env("FLOWFN_S3_ENDPOINT")
                        .orElseThrow(
                                () ->
                                        new IllegalStateException(
                                                "FLOWFN_S3_ENDPOINT is not set: the platform sets"
                                                        + " it, or deploy with --env"
                                                        + " FLOWFN_S3_ENDPOINT=http://host:9000"));
        return MinioClient.builder()
                .endpoint(endpoint)
                .credentials(
                        context.env("FLOWFN_S3_ACCESS_KEY").orElse(""),
                        context.env("FLOWFN_S3_SECRET_KEY").orElse(""))
                .httpClient(http(), false)
                .build();
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
