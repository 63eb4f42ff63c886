package dev.flowfn.schemas;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * What runs a function version: {@code FunctionSpec.runtime}, chosen per deploy. The runtime also
 * says what {@code codeUri}, {@code codeSha256} and {@code handler} of the spec hold ({@link
 * Code}); {@link FunctionSpecRules#handler(FunctionRuntime, String)} checks the handler of each.
 *
 * <p>Records written before runtimes were chosen say {@code java} (the field's default).
 */
public enum FunctionRuntime {
    /** The handler class runs in worker JVMs of its own: the default for a new deploy. */
    JAVA("java", Code.JAR),
    /** The handler class runs inside the TaskManager, in a class loader of its own. */
    JAVA_EMBEDDED("java-embedded", Code.JAR),
    /** Node.js worker processes run {@code file.export} of the unpacked code archive. */
    NODEJS("nodejs", Code.ARCHIVE),
    /** Python worker processes run {@code module.function} of the unpacked code archive. */
    PYTHON("python", Code.ARCHIVE),
    /** Someone else serves the function at a URL; the job calls it with the runtime protocol. */
    HTTP("http", Code.URL);

    /** What a spec's {@code codeUri} points at. */
    public enum Code {
        /**
         * A jar in the code bucket ({@code s3://B/<function>/<sha256>.jar}), {@code codeSha256} its
         * hash, {@code handler} a fully qualified class implementing {@code
         * dev.flowfn.api.Handler}.
         */
        JAR,
        /**
         * A zip archive in the code bucket ({@code s3://B/<function>/<sha256>.zip}), {@code
         * codeSha256} its hash, {@code handler} names a file of the archive and what it exports.
         */
        ARCHIVE,
        /** The function's http(s) URL; {@code codeSha256} and {@code handler} are empty. */
        URL
    }

    /** The runtime of a deploy that names none. */
    public static final FunctionRuntime DEFAULT = JAVA;

    private final String id;
    private final Code code;

    FunctionRuntime(String id, Code code) {
        this.id = id;
        this.code = code;
    }

    /** The name in specs and on the command line, e.g. {@code java-embedded}. */
    public String id() {
        return id;
    }

    public Code code() {
        return code;
    }

    /**
     * The runtime named {@code id}.
     *
     * @throws InvalidSpecException listing the runtimes there are
     */
    public static FunctionRuntime of(String id) {
        for (FunctionRuntime r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        throw new InvalidSpecException(
                "runtime '" + id + "' is not one of " + ids() + "; e.g. --runtime nodejs");
    }

    /** Every runtime's name, comma-separated: {@code java, java-embedded, nodejs, python, http}. */
    public static String ids() {
        return Arrays.stream(values()).map(FunctionRuntime::id).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return id;
    }
}
