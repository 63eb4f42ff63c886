package dev.flowfn.api;

/** A handler's logger. Each line is tagged with function, version, invocation id and level. */
public interface FunctionLogger {

    enum Level {
        DEBUG,
        INFO,
        WARN,
        ERROR
    }

    void log(Level level, String message);

    default void debug(String message) {
        log(Level.DEBUG, message);
    }

    default void info(String message) {
        log(Level.INFO, message);
    }

    default void warn(String message) {
        log(Level.WARN, message);
    }

    default void error(String message) {
        log(Level.ERROR, message);
    }
}
