package dev.flowfn.schemas;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a valid function spec looks like. Each check names the bad value and the rule. */
public final class FunctionSpecRules {

    public static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    public static final Pattern HANDLER =
            Pattern.compile("([a-zA-Z_$][a-zA-Z0-9_$]*\\.)*[a-zA-Z_$][a-zA-Z0-9_$]*");

    /**
     * A Node.js handler, {@code MODULE.EXPORT}, as the worker ({@code sdk/nodejs/lib/load.js})
     * reads it: the export is a JavaScript identifier, the module everything before the last dot.
     */
    public static final Pattern NODEJS_HANDLER =
            Pattern.compile("(.+)\\.([A-Za-z_$][A-Za-z0-9_$]*)");

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

    /**
     * A runtime name: {@code java}, {@code java-embedded}, {@code nodejs}, {@code python} or {@code
     * http}; null means {@link FunctionRuntime#DEFAULT}.
     */
    public static FunctionRuntime runtime(String runtime) {
        return runtime == null ? FunctionRuntime.DEFAULT : FunctionRuntime.of(runtime);
    }

    /**
     * The handler of a function of {@code runtime}: a class name for {@code java} and {@code
     * java-embedded} ({@link #handler(String)}), {@code MODULE.EXPORT} for {@code nodejs} ({@code
     * index.handler}, {@code src/app.main}), {@code module.function} for {@code python} ({@code
     * handler.main}, {@code pkg.orders.main}), and nothing for {@code http} (null or empty; the
     * server at the URL has the code). Returns it as the spec stores it ({@code ""} for http).
     */
    public static String handler(FunctionRuntime runtime, String handler) {
        return switch (runtime) {
            case JAVA, JAVA_EMBEDDED -> handler(handler);
            case NODEJS, PYTHON -> {
                handlerFile(runtime, handler);
                yield handler;
            }
            case HTTP -> {
                if (handler != null && !handler.isEmpty()) {
                    throw new InvalidSpecException(
                            "handler '"
                                    + handler
                                    + "': an http function has no handler (the server at its URL"
                                    + " has the code); leave out --handler");
                }
                yield "";
            }
        };
    }

    /**
     * The file of the code archive that a {@code nodejs} or {@code python} handler loads, as a
     * relative path with {@code /}: {@code index.handler} loads {@code index.js}, {@code
     * src/app.main} {@code src/app.js}; {@code handler.main} loads {@code handler.py}, {@code
     * pkg.orders.main} {@code pkg/orders.py}.
     *
     * @throws InvalidSpecException when the handler is not of that form, or would load a file
     *     outside the code
     * @throws IllegalArgumentException for a runtime without a code archive
     */
    public static String handlerFile(FunctionRuntime runtime, String handler) {
        if (runtime == FunctionRuntime.NODEJS) {
            return nodejsFile(handler);
        }
        if (runtime == FunctionRuntime.PYTHON) {
            return pythonFile(handler);
        }
        throw new IllegalArgumentException("runtime " + runtime + " has no code archive");
    }

    private static String nodejsFile(String handler) {
        Matcher m = handler == null ? null : NODEJS_HANDLER.matcher(handler);
        if (m == null || !m.matches()) {
            throw new InvalidSpecException(
                    "handler '"
                            + handler
                            + "' must be FILE.EXPORT, e.g. index.handler for the export 'handler'"
                            + " of index.js (src/app.main: 'main' of src/app.js); check --handler");
        }
        String module = m.group(1);
        List<String> parts = new ArrayList<>();
        List<String> given = List.of(module.split("/", -1));
        if (module.startsWith("/") || module.contains("\\") || given.contains("..")) {
            throw new InvalidSpecException(
                    "handler '"
                            + handler
                            + "' must name a file inside the code, relative to its top with '/'"
                            + " and without '..', e.g. src/app.main; check --handler");
        }
        for (String part : given) {
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part); // as the worker's path.resolve does: src//./app is src/app
            }
        }
        if (parts.isEmpty()) {
            throw new InvalidSpecException(
                    "handler '" + handler + "' names no file; write e.g. index.handler");
        }
        return String.join("/", parts) + ".js";
    }

    private static String pythonFile(String handler) {
        int dot = handler == null ? -1 : handler.lastIndexOf('.');
        String module = dot < 0 ? "" : handler.substring(0, dot);
        boolean ok = dot > 0 && isPythonIdentifier(handler.substring(dot + 1));
        for (String part : module.split("\\.", -1)) {
            ok &= isPythonIdentifier(part);
        }
        if (!ok) {
            throw new InvalidSpecException(
                    "handler '"
                            + handler
                            + "' must be module.function, e.g. handler.main for def main(event,"
                            + " context) in handler.py (pkg.orders.main: main of pkg/orders.py);"
                            + " check --handler");
        }
        return module.replace('.', '/') + ".py";
    }

    /**
     * Python's {@code str.isidentifier()}, close enough: a letter or '_', then letters, digits,
     * '_'.
     */
    private static boolean isPythonIdentifier(String s) {
        if (s.isEmpty()) {
            return false;
        }
        int first = s.codePointAt(0);
        if (first != '_' && !Character.isUnicodeIdentifierStart(first)) {
            return false;
        }
        return s.codePoints()
                .skip(1)
                .allMatch(
                        c ->
                                c == '_'
                                        || (Character.isUnicodeIdentifierPart(c)
                                                && !Character.isIdentifierIgnorable(c)));
    }

    /**
     * The URL of an {@code http} function: http or https, with a host, without credentials (the
     * spec is shown by describe) or a fragment. Returns it as given, trimmed.
     */
    public static String functionUrl(String url) {
        String text = url == null ? "" : url.trim();
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme();
            if ((scheme.equals("http") || scheme.equals("https"))
                    && uri.getHost() != null
                    && uri.getFragment() == null) {
                if (uri.getRawUserInfo() != null) {
                    String without =
                            new URI(
                                            scheme,
                                            null,
                                            uri.getHost(),
                                            uri.getPort(),
                                            uri.getPath(),
                                            uri.getQuery(),
                                            null)
                                    .toString();
                    throw new InvalidSpecException( // not the URL: it would show the password
                            "the function URL has credentials in it, which describe would show;"
                                    + " give it without them ("
                                    + without
                                    + ")");
                }
                return text;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        throw new InvalidSpecException(
                "function URL '"
                        + url
                        + "' must be the http(s) URL the function is served at, e.g. --url"
                        + " https://orders.example/flowfn");
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
