package dev.flowfn.examples.cleanup;

import dev.flowfn.api.Context;
import io.minio.MinioClient;

/**
 * The object store a function talks to, from its environment: {@code S3_ENDPOINT}, {@code
 * S3_ACCESS_KEY}, {@code S3_SECRET_KEY} set with {@code deploy --env} win; otherwise the platform's
 * own store ({@code FLOWFN_S3_ENDPOINT}, {@code FLOWFN_S3_ACCESS_KEY}, {@code
 * FLOWFN_S3_SECRET_KEY}, injected by Flowfn). The secret is never logged.
 */
final class S3Env {

    private S3Env() {}

    static MinioClient client(Context context) {
        String endpoint = pick(context, "S3_ENDPOINT", "FLOWFN_S3_ENDPOINT");
        String access = pick(context, "S3_ACCESS_KEY", "FLOWFN_S3_ACCESS_KEY");
        String secret = pick(context, "S3_SECRET_KEY", "FLOWFN_S3_SECRET_KEY");
        return MinioClient.builder().endpoint(endpoint).credentials(access, secret).build();
    }

    private static String pick(Context context, String own, String platform) {
        return context.env(own)
                .or(() -> context.env(platform))
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        own
                                                + " is not set; deploy with --env "
                                                + own
                                                + "=... (or run on a platform that injects "
                                                + platform
                                                + ")"));
    }
}
