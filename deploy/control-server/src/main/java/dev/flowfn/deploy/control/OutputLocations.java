package dev.flowfn.deploy.control;

import dev.flowfn.schemas.InvalidSpecException;
import dev.flowfn.schemas.Trigger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where a function says it writes ({@code deploy --output s3://bucket/prefix/}), and the check that
 * none of its own s3 triggers would fire on those writes: a thumbnail function triggered on {@code
 * photos} with no prefix that writes {@code photos/thumbs/} would run again on every thumbnail, and
 * again, without end.
 *
 * <p>Stateless.
 */
public final class OutputLocations {

    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private OutputLocations() {}

    /** A location as {@code s3://bucket/prefix} (prefix may be empty); checked, normalized. */
    public static String parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!trimmed.startsWith("s3://")) {
            throw new InvalidSpecException(
                    "output '"
                            + text
                            + "' must be an s3:// location, e.g. --output s3://photos/thumbs/");
        }
        String rest = trimmed.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (!BUCKET.matcher(bucket).matches()) {
            throw new InvalidSpecException(
                    "output '"
                            + text
                            + "': bucket '"
                            + bucket
                            + "' is not a valid S3 bucket name (3-63 of a-z, 0-9, '.', '-')");
        }
        return "s3://" + bucket + "/" + (slash < 0 ? "" : rest.substring(slash + 1));
    }

    /**
     * One warning per (s3 trigger, output) pair where the function's own writes to the output would
     * fire the trigger, each naming the fix. Empty when there is no loop.
     */
    public static List<String> loopWarnings(List<Trigger> triggers, List<String> outputs) {
        List<String> warnings = new ArrayList<>();
        for (Trigger t : triggers) {
            if (!"s3".equals(t.getKind())) {
                continue;
            }
            String events = t.getParams().getOrDefault("events", "put");
            if (!List.of(events.split("\\|")).contains("put")) {
                continue; // writes are puts: a delete-only trigger cannot loop on them
            }
            String bucket = t.getParams().get("bucket");
            String prefix = t.getParams().getOrDefault("prefix", "");
            String suffix = t.getParams().getOrDefault("suffix", "");
            for (String output : outputs) {
                String location = parse(output);
                String rest = location.substring(5);
                int slash = rest.indexOf('/');
                String outBucket = rest.substring(0, slash);
                String outPrefix = rest.substring(slash + 1);
                if (outBucket.equals(bucket)
                        && (outPrefix.startsWith(prefix) || prefix.startsWith(outPrefix))) {
                    warnings.add(
                            "trigger '"
                                    + t.getText()
                                    + "' matches objects the function writes to "
                                    + location
                                    + (suffix.isEmpty()
                                            ? ""
                                            : " (if their names end in '" + suffix + "')")
                                    + ": each write would trigger it again, in a loop. Fix: give"
                                    + " the trigger a prefix the output is not under (e.g."
                                    + " prefix=uploads/) or write to another prefix or bucket");
                }
            }
        }
        return warnings;
    }
}
