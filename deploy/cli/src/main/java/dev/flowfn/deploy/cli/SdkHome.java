package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.local.engines.EngineClasspath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the Flowfn SDKs are: {@code sdk/nodejs} and {@code sdk/python/src} of the Flowfn home (the
 * repository root: {@code -Dflowfn.home}, which {@code ./flowfn} sets, else {@code
 * $FLOWFN_HOME_DIR}, else the nearest folder at or above the current one with {@code
 * deploy/pom.xml}), as the job's workers find them.
 */
final class SdkHome {

    private final Path home;

    private SdkHome(Path home) {
        this.home = home;
    }

    /** The Flowfn home, when there is one. */
    static Optional<SdkHome> find() {
        try {
            return Optional.of(new SdkHome(EngineClasspath.locate().home()));
        } catch (IllegalStateException e) {
            return Optional.empty();
        }
    }

    Path home() {
        return home;
    }

    /** The npm package {@code @flowfn/sdk}: {@code <home>/sdk/nodejs}, when it is there. */
    Optional<Path> nodejs() {
        Path dir = home.resolve("sdk/nodejs");
        return Files.isRegularFile(dir.resolve("package.json"))
                ? Optional.of(dir)
                : Optional.empty();
    }

    /** What goes on PYTHONPATH for {@code import flowfn}: {@code <home>/sdk/python/src}. */
    Optional<Path> python() {
        Path dir = home.resolve("sdk/python/src");
        return Files.isRegularFile(dir.resolve("flowfn/__init__.py"))
                ? Optional.of(dir)
                : Optional.empty();
    }
}
