package dev.flowfn.bench.infra;

import java.nio.file.Files;
import java.nio.file.Path;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * Optional JDK Flight Recorder recordings of measurement windows ({@code --jfr DIR}): one file per
 * window, with the JDK's "profile" settings (method samples every 10-20 ms, allocations, locks).
 * Read them with {@code jfr print --events jdk.ExecutionSample FILE} or JDK Mission Control.
 */
public final class Jfr {

    private static volatile Path dir;

    public static void recordTo(Path directory) {
        dir = directory;
    }

    /** Starts a recording named {@code name}, or returns null when recording is off. */
    public static Recording start(String name) {
        if (dir == null) {
            return null;
        }
        try {
            Recording r = new Recording(Configuration.getConfiguration("profile"));
            r.setName(name);
            r.start();
            return r;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start a JFR recording: " + e, e);
        }
    }

    /** Stops the recording and writes it to {@code DIR/name.jfr}. */
    public static void stop(Recording r) {
        if (r == null) {
            return;
        }
        try (r) {
            r.stop();
            Files.createDirectories(dir);
            r.dump(dir.resolve(r.getName() + ".jfr"));
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the JFR recording: " + e, e);
        }
    }

    private Jfr() {}
}
