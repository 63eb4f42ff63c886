package dev.flowfn.deploy.local;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The pulled S3 sources {@code flowfn local} runs against an external store ({@code
 * --s3-endpoint}): buckets read through MinIO's listen API ({@code --s3-listen-bucket}) and bucket
 * prefixes found by listing ({@code --s3-poll}), each as {@code BUCKET[/PREFIX]}.
 */
public record S3PulledSources(List<Location> listen, List<Location> poll) {

    public static final S3PulledSources NONE = new S3PulledSources(List.of(), List.of());

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    public S3PulledSources {
        listen = List.copyOf(listen);
        poll = List.copyOf(poll);
    }

    public boolean isEmpty() {
        return listen.isEmpty() && poll.isEmpty();
    }

    /** A bucket and a key prefix (possibly empty). */
    public record Location(String bucket, String prefix) {

        /**
         * Parses {@code BUCKET[/PREFIX]}.
         *
         * @throws IllegalArgumentException naming the option, the value and the expected form
         */
        public static Location parse(String option, String value) {
            String v = value == null ? "" : value.strip();
            int slash = v.indexOf('/');
            String bucket = slash < 0 ? v : v.substring(0, slash);
            String prefix = slash < 0 ? "" : v.substring(slash + 1);
            if (!BUCKET.matcher(bucket).matches()) {
                throw new IllegalArgumentException(
                        option
                                + " '"
                                + value
                                + "' must be BUCKET or BUCKET/PREFIX, with an S3 bucket name"
                                + " (3-63 lower case letters, digits, '.' and '-'), e.g. photos/uploads/");
            }
            return new Location(bucket, prefix);
        }

        /** A connector-name-safe form: bucket and prefix. */
        String slug() {
            String s = (bucket + "-" + prefix).replaceAll("[^a-z0-9.-]+", "-");
            return s.replaceAll("-+$", "");
        }
    }
}
