package dev.flowfn.examples.cleanup;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectsArgs;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the objects under {@code BUCKET}/{@code PREFIX} older than {@code MAX_AGE}, page by page
 * ({@code PAGE_SIZE} keys per delete request, default 1000), and logs what it deleted.
 *
 * <p>Age is measured from the event's time: for a {@code cron:} trigger that is the tick's
 * scheduled instant, so a tick retried or fired again later deletes the same set. Safe to run
 * twice: a second run finds nothing stale left, and deleting a key that is already gone is not an
 * error in S3.
 *
 * <pre>
 * flowfn deploy --name gc --jar examples/cleanup/target/cleanup.jar \
 *     --handler dev.flowfn.examples.cleanup.DeleteStale \
 *     --trigger 'cron:expr=0 3 * * *,tz=Europe/Berlin' --env BUCKET=photos --env MAX_AGE=7d
 * </pre>
 */
public final class DeleteStale implements Handler {

    /** At most this many keys are named one by one in the logs per page. */
    static final int KEYS_LOGGED_PER_PAGE = 20;

    @Override
    public Result handle(Event event, Context context) throws Exception {
        String bucket = required(context, "BUCKET");
        String prefix = context.env("PREFIX").orElse("");
        Duration maxAge = MaxAge.parse(required(context, "MAX_AGE"));
        int pageSize = Integer.parseInt(context.env("PAGE_SIZE").orElse("1000"));
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException(
                    "PAGE_SIZE " + pageSize + " is out of range; S3 deletes 1..1000 keys at once");
        }
        Instant now = event.time() != null ? event.time() : Instant.now();
        Instant cutoff = now.minus(maxAge);
        context.logger()
                .info(
                        "deleting objects in "
                                + bucket
                                + "/"
                                + prefix
                                + " last modified before "
                                + cutoff
                                + " (MAX_AGE "
                                + maxAge
                                + ")");
        long deleted = 0;
        long kept = 0;
        long bytes = 0;
        int pages = 0;
        try (MinioClient s3 = S3Env.client(context)) {
            List<Item> page = new ArrayList<>(pageSize);
            for (io.minio.Result<Item> r :
                    s3.listObjects(
                            ListObjectsArgs.builder()
                                    .bucket(bucket)
                                    .prefix(prefix)
                                    .recursive(true)
                                    .maxKeys(pageSize)
                                    .build())) {
                Item item = r.get();
                if (item.isDir()) {
                    continue;
                }
                if (!item.lastModified().toInstant().isBefore(cutoff)) {
                    kept++;
                    continue;
                }
                page.add(item);
                if (page.size() == pageSize) {
                    deleted += deletePage(s3, bucket, page, ++pages, context);
                    bytes += page.stream().mapToLong(Item::size).sum();
                    page.clear();
                }
            }
            if (!page.isEmpty()) {
                deleted += deletePage(s3, bucket, page, ++pages, context);
                bytes += page.stream().mapToLong(Item::size).sum();
            }
        }
        context.logger()
                .info("deleted " + deleted + " objects (" + bytes + " bytes), kept " + kept);
        return Result.json(
                "{\"bucket\":\""
                        + bucket
                        + "\",\"prefix\":\""
                        + prefix
                        + "\",\"cutoff\":\""
                        + cutoff
                        + "\",\"deleted\":"
                        + deleted
                        + ",\"bytes\":"
                        + bytes
                        + ",\"kept\":"
                        + kept
                        + ",\"pages\":"
                        + pages
                        + "}");
    }

    /** Deletes one page of keys in one request; fails the invocation if S3 refused any. */
    private static int deletePage(
            MinioClient s3, String bucket, List<Item> page, int number, Context context)
            throws Exception {
        List<DeleteRequest.Object> keys = new ArrayList<>(page.size());
        for (Item item : page) {
            keys.add(new DeleteRequest.Object(item.objectName()));
        }
        List<String> errors = new ArrayList<>();
        for (io.minio.Result<DeleteResult.Error> r :
                s3.removeObjects(
                        RemoveObjectsArgs.builder().bucket(bucket).objects(keys).build())) {
            errors.add(r.get().toString()); // the iterable is lazy: iterating sends the request
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException(
                    "S3 refused to delete "
                            + errors.size()
                            + " of "
                            + page.size()
                            + " objects in page "
                            + number
                            + ", first: "
                            + errors.get(0)
                            + "; check the credentials' permissions on "
                            + bucket);
        }
        StringBuilder line = new StringBuilder("page " + number + ": deleted " + page.size() + ":");
        for (int i = 0; i < page.size() && i < KEYS_LOGGED_PER_PAGE; i++) {
            line.append(' ').append(page.get(i).objectName());
        }
        if (page.size() > KEYS_LOGGED_PER_PAGE) {
            line.append(" ... and ").append(page.size() - KEYS_LOGGED_PER_PAGE).append(" more");
        }
        context.logger().info(line.toString());
        context.progress("deleted page " + number + " (" + page.size() + " objects)");
        return page.size();
    }

    private static String required(Context context, String name) {
        return context.env(name)
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        name + " is not set; deploy with --env " + name + "=..."));
    }
}
