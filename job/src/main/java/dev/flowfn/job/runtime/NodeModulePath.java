package dev.flowfn.job.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A folder for Node.js's {@code NODE_PATH} in which {@code @flowfn/sdk} is the SDK of a Flowfn home
 * (a symbolic link to {@code <home>/sdk/nodejs}), made once per home in the temp dir. Thread-safe.
 */
final class NodeModulePath {

    private static final Map<Path, Path> MADE = new ConcurrentHashMap<>();

    static Path of(Path sdkHome) {
        return MADE.computeIfAbsent(sdkHome.toAbsolutePath().normalize(), NodeModulePath::make);
    }

    private static Path make(Path home) {
        try {
            Path dir = Files.createTempDirectory("flowfn-node-path-");
            Path scope = Files.createDirectories(dir.resolve("@flowfn"));
            try {
                Files.createSymbolicLink(scope.resolve("sdk"), home.resolve("sdk/nodejs"));
            } catch (FileAlreadyExistsException e) {
                // made meanwhile
            }
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a NODE_PATH for the Node.js SDK", e);
        }
    }

    private NodeModulePath() {}
}
