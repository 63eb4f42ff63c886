package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.engines.S3Credentials;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The S3 / MinIO store of function code, declared once for every command that takes one ({@code
 * local}, {@code server}, {@code submit}): its endpoint as an option, its keys from the environment
 * only ({@value #ACCESS_KEY_ENV}, {@value #SECRET_KEY_ENV}), so {@code ps} never shows them.
 */
final class S3Options {

    static final String ACCESS_KEY_ENV = "FLOWFN_S3_ACCESS_KEY";
    static final String SECRET_KEY_ENV = "FLOWFN_S3_SECRET_KEY";

    @Option(
            names = "--s3-endpoint",
            paramLabel = "URL",
            description =
                    "The S3 / MinIO endpoint of function code, like http://minio:9000; its keys come"
                            + " from $FLOWFN_S3_ACCESS_KEY and $FLOWFN_S3_SECRET_KEY")
    String endpoint;

    /**
     * The endpoint given; empty if none.
     *
     * @throws UsageException if it is not an http(s) URL
     */
    Optional<String> optional() {
        if (endpoint != null && !endpoint.matches("https?://\\S+")) {
            throw new UsageException(
                    "--s3-endpoint must be the URL of the S3 / MinIO endpoint of function code, like"
                            + " http://minio:9000 (got '"
                            + endpoint
                            + "')");
        }
        return Optional.ofNullable(endpoint);
    }

    /**
     * The endpoint, which must be given.
     *
     * @throws UsageException naming the option if it is missing or bad
     */
    String required() {
        return optional()
                .orElseThrow(
                        () ->
                                new UsageException(
                                        "give --s3-endpoint URL, the S3 / MinIO endpoint of function"
                                                + " code, like http://minio:9000"));
    }

    /**
     * The store's keys from {@code env}.
     *
     * @throws UsageException naming the variables if either is missing or not a key
     */
    static S3Credentials credentials(Map<String, String> env) {
        return credentialsIfSet(env)
                .orElseThrow(
                        () ->
                                new UsageException(
                                        "set "
                                                + ACCESS_KEY_ENV
                                                + " and "
                                                + SECRET_KEY_ENV
                                                + " in the environment: the keys of --s3-endpoint"));
    }

    /** The store's keys from {@code env}; empty if neither is set. */
    static Optional<S3Credentials> credentialsIfSet(Map<String, String> env) {
        String access = blankToNull(env.get(ACCESS_KEY_ENV));
        String secret = blankToNull(env.get(SECRET_KEY_ENV));
        if (access == null && secret == null) {
            return Optional.empty();
        }
        if (access == null || secret == null) {
            throw new UsageException(
                    "set both "
                            + ACCESS_KEY_ENV
                            + " and "
                            + SECRET_KEY_ENV
                            + " in the environment (only "
                            + (access == null ? SECRET_KEY_ENV : ACCESS_KEY_ENV)
                            + " is set)");
        }
        try {
            return Optional.of(new S3Credentials(access, secret));
        } catch (IllegalArgumentException e) {
            // the message names the rule, never the value
            throw new UsageException(
                    ACCESS_KEY_ENV + " / " + SECRET_KEY_ENV + ": " + e.getMessage());
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
