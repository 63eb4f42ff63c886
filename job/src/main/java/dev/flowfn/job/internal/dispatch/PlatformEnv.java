package dev.flowfn.job.internal.dispatch;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Environment variables the platform gives every handler, next to the function's own {@code --env}
 * (which wins on a clash). They reach handlers through {@code Context.env()} only: they are not in
 * the FunctionSpec on {@code flowfn.functions}, so the secret never lands on a topic.
 */
public final class PlatformEnv {

    /** The S3 / MinIO endpoint the platform uses (e.g. {@code http://127.0.0.1:9000}). */
    public static final String S3_ENDPOINT = "FLOWFN_S3_ENDPOINT";

    public static final String S3_ACCESS_KEY = "FLOWFN_S3_ACCESS_KEY";
    public static final String S3_SECRET_KEY = "FLOWFN_S3_SECRET_KEY";

    private PlatformEnv() {}

    /** The S3 variables that are known (null values are left out). */
    public static Map<String, String> s3(String endpoint, String accessKey, String secretKey) {
        Map<String, String> env = new LinkedHashMap<>();
        if (endpoint != null && !endpoint.isBlank()) {
            env.put(S3_ENDPOINT, endpoint);
            if (accessKey != null) {
                env.put(S3_ACCESS_KEY, accessKey);
            }
            if (secretKey != null) {
                env.put(S3_SECRET_KEY, secretKey);
            }
        }
        return env;
    }
}
