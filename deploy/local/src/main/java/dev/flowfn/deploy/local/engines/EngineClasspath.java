package dev.flowfn.deploy.local.engines;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The class path of an engine that runs in its own JVM ({@code kafka-broker}, {@code s3-store}):
 * the jars its Maven module lists in {@code deploy/<engine>/target/classpath.txt} (written at
 * {@code package}), followed by that module's {@code target/classes}.
 *
 * <p>The Flowfn home (the repository root) is, in order: the system property {@value
 * #HOME_PROPERTY}, the environment variable {@value #HOME_ENV}, or the nearest folder at or above
 * the current directory that contains {@code deploy/pom.xml}.
 *
 * <p>Immutable; any thread.
 */
public final class EngineClasspath {

    public static final String HOME_PROPERTY = "flowfn.home";
    public static final String HOME_ENV = "FLOWFN_HOME_DIR";

    private static final String NO_HOME =
            "cannot find the Flowfn home: set -D"
                    + HOME_PROPERTY
                    + "=DIR or "
                    + HOME_ENV
                    + "=DIR to the repository root, or run inside it"
                    + " (no deploy/pom.xml at or above %s)";
    private static final String NOT_BUILT =
            "engine '%1$s' is not built: %2$s. Run ./flowfn once to build it, or in %3$s:"
                    + " mvn -q -pl deploy/%1$s -am package -DskipTests";

    private final Path home;

    private EngineClasspath(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    /** Engines of the Flowfn checkout at {@code home}. */
    public static EngineClasspath of(Path home) {
        return new EngineClasspath(home);
    }

    /**
     * Engines of the Flowfn home found from this JVM's system properties, environment and
     * directory.
     */
    public static EngineClasspath locate() {
        Path cwd = Path.of(System.getProperty("user.dir"));
        return of(
                findHome(System.getProperty(HOME_PROPERTY), System.getenv(HOME_ENV), cwd)
                        .orElseThrow(() -> new IllegalStateException(NO_HOME.formatted(cwd))));
    }

    /**
     * The home from an explicit property, else an environment value, else the walk up from {@code
     * cwd}.
     */
    static Optional<Path> findHome(String property, String env, Path cwd) {
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("deploy").resolve("pom.xml"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    public Path home() {
        return home;
    }

    /**
     * The class path of {@code engine} (a folder name under {@code deploy/}), ready for {@code
     * -cp}.
     *
     * @throws IllegalStateException naming the build command when the engine is not built, or when
     *     a jar it lists is gone from the local Maven repository
     */
    public String classpath(String engine) {
        Path module = home.resolve("deploy").resolve(engine);
        Path listFile = module.resolve("target").resolve("classpath.txt");
        Path classes = module.resolve("target").resolve("classes");
        if (!Files.isRegularFile(listFile) || !Files.isDirectory(classes)) {
            throw notBuilt(
                    engine, (Files.isRegularFile(listFile) ? classes : listFile) + " is missing");
        }
        List<String> entries = new ArrayList<>();
        for (String entry : read(listFile).split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            if (!Files.exists(Path.of(entry))) {
                throw notBuilt(engine, listFile + " lists " + entry + ", which does not exist");
            }
            entries.add(entry);
        }
        entries.add(classes.toString());
        return String.join(File.pathSeparator, entries);
    }

    private IllegalStateException notBuilt(String engine, String problem) {
        return new IllegalStateException(NOT_BUILT.formatted(engine, problem, home));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
