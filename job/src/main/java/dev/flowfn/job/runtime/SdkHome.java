package dev.flowfn.job.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where the Flowfn home (the folder holding {@code sdk/}) is. Stateless. */
public final class SdkHome {

    /**
     * The home named by a system property, else by an environment variable, else the nearest folder
     * at or above {@code cwd} that holds {@code sdk/PROTOCOL.md}.
     */
    public static Optional<Path> find(String property, String env, Path cwd) {
        if (property != null && !property.isBlank()) {
            return Optional.of(Path.of(property));
        }
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        for (Path dir = cwd.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("sdk").resolve("PROTOCOL.md"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    private SdkHome() {}
}
