package dev.flowfn.schemas;

import java.time.Duration;
import java.util.regex.Pattern;

/** What a valid function spec looks like. Each check names the bad value and the rule. */
public final class FunctionSpecRules {

    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    public static final Pattern HANDLER =
            Pattern.compile("([a-zA-Z_$][a-zA-Z0-9_$]*\\.)*[a-zA-Z_$][a-zA-Z0-9_$]*");
    public static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    public static final int MIN_MEMORY_MB = 64;
    public static final int MAX_MEMORY_MB = 16384;
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    public static final int MAX_CONCURRENCY = 1000;
    public static final int MAX_ATTEMPTS = 10;

    public static String name(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSpecException(
                    "function name '"
                            + name
                            + "' must match "
                            + NAME.pattern()
                            + " (lower case letters, digits and '-', starting with a letter, at most 63)");
        }
        return name;
    }

    /**
     * An alias name: like a function name, and not {@code latest} (a bare function name already
     * means the latest version).
     */
    public static String alias(String alias) {
        if (alias == null || !NAME.matcher(alias).matches() || alias.equals("latest")) {
            throw new InvalidSpecException(
                    "alias '"
                            + alias
                            + "' must match "
                            + NAME.pattern()
                            + " (lower case letters, digits and '-', starting with a letter) and not"
                            + " be 'latest', e.g. prod");
        }
        return alias;
    }

    public static String handler(String handler) {
        if (handler == null || !HANDLER.matcher(handler).matches()) {
            throw new InvalidSpecException(
                    "handler '"
                            + handler
                            + "' must be a fully qualified class name, e.g. dev.flowfn.examples.hello.Upper");
        }
        return handler;
    }

    public static int memoryMb(int memoryMb) {
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB) {
            throw new InvalidSpecException(
                    "memory "
                            + memoryMb
                            + " MB is out of range; give "
                            + MIN_MEMORY_MB
                            + ".."
                            + MAX_MEMORY_MB
                            + " MB, e.g. --memory 256");
        }
        return memoryMb;
    }

    public static Duration timeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidSpecException(
                    "timeout "
                            + timeout
                            + " is out of range; give more than 0 and at most 24h, e.g. --timeout 30s");
        }
        return timeout;
    }

    public static int concurrency(int concurrency) {
        if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
            throw new InvalidSpecException(
                    "concurrency " + concurrency + " is out of range; give 1.." + MAX_CONCURRENCY);
        }
        return concurrency;
    }

    public static int attempts(int attempts) {
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new InvalidSpecException(
                    "retry attempts "
                            + attempts
                            + " is out of range; give 1.."
                            + MAX_ATTEMPTS
                            + " (1 = no retry)");
        }
        return attempts;
    }

    public static String envName(String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new InvalidSpecException(
                    "environment variable name '"
                            + name
                            + "' must match "
                            + ENV_NAME.pattern()
                            + ", e.g. --env THUMB_SIZE=200");
        }
        return name;
    }

    /**
     * Parses a duration as users write it: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, or
     * ISO-8601 ({@code PT5S}).
     */
    public static Duration parseDuration(String text) {
        String t = text == null ? "" : text.trim();
        try {
            if (t.startsWith("P") || t.startsWith("p")) {
                return Duration.parse(t);
            }
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            switch (t.charAt(t.length() - 1)) {
                case 's':
                    return Duration.ofSeconds(n);
                case 'm':
                    return Duration.ofMinutes(n);
                case 'h':
                    return Duration.ofHours(n);
                case 'd':
                    return Duration.ofDays(n);
                default:
                    break;
            }
        } catch (RuntimeException e) {
            // fall through to the message below
        }
        throw new InvalidSpecException(
                "duration '" + text + "' is not understood; write e.g. 500ms, 5s, 10m, 2h or PT5S");
    }

    private FunctionSpecRules() {}
}
