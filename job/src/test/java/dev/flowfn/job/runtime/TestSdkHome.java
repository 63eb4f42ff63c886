package dev.flowfn.job.runtime;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The Flowfn checkout the tests run in: the nearest folder at or above the working directory that
 * holds {@code sdk/protocol/vectors.json} (Maven runs the tests in {@code job/}).
 */
public final class TestSdkHome {

    private TestSdkHome() {}

    public static Path find() {
        Path cwd = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path dir = cwd; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(vectors(dir))) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "no sdk/protocol/vectors.json at or above " + cwd + ": run the tests in the repo");
    }

    public static Path vectors(Path home) {
        return home.resolve("sdk").resolve("protocol").resolve("vectors.json");
    }
}
