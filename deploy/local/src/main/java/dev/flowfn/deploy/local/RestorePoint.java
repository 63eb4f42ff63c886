package dev.flowfn.deploy.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds where the job should continue from: the newest complete checkpoint or savepoint (a folder
 * with a {@code _metadata} file) under the data folder.
 */
final class RestorePoint {

    static Optional<Path> latest(Path... roots) throws IOException {
        Path best = null;
        FileTime bestTime = null;
        for (Path root : roots) {
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(root, 3)) {
                Optional<Path> newest =
                        files.filter(p -> p.getFileName().toString().equals("_metadata"))
                                .max(Comparator.comparing(RestorePoint::modified));
                if (newest.isPresent()
                        && (bestTime == null || modified(newest.get()).compareTo(bestTime) > 0)) {
                    best = newest.get();
                    bestTime = modified(best);
                }
            }
        }
        return Optional.ofNullable(best).map(Path::getParent);
    }

    private static FileTime modified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private RestorePoint() {}
}
