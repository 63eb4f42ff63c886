package dev.flowfn.worker;

import java.util.Map;

/**
 * A {@code LOAD}: the function version to load, its handler class, where its code is, and its
 * environment.
 *
 * @param handler the fully qualified name of a class implementing {@code dev.flowfn.api.Handler}
 * @param codeDir the directory holding the function's jar(s) (or its classes)
 * @param memoryMb the function's memory, 0 when not given
 * @param env the function's environment variables, unmodifiable
 */
record LoadRequest(
        String function,
        long version,
        String handler,
        String codeDir,
        int memoryMb,
        Map<String, String> env) {

    static LoadRequest of(Frame frame) throws ProtocolException {
        Header h = Header.of(frame);
        return new LoadRequest(
                h.text("function"),
                h.integer("version"),
                h.text("handler"),
                h.text("codeDir"),
                (int) h.integerOr("memoryMb", 0),
                h.strings("env"));
    }

    /** {@code function@version}: how the worker keys what it loaded. */
    String key() {
        return key(function, version);
    }

    static String key(String function, long version) {
        return function + "@" + version;
    }
}
