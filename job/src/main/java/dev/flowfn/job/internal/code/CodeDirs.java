package dev.flowfn.job.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The folder a worker loads a function version from, next to its verified archive in the code
 * cache: {@code <sha>.jar.d/} holding the jar alone (Java), or the zip unpacked (Node.js, Python).
 * Made once per archive, atomically (a folder is renamed into place), so concurrent starts of the
 * same version share it. Thread-safe.
 */
public final class CodeDirs {

    /**
     * Unpacked code larger than this is refused: a zip bomb must not fill the TaskManager's disk.
     */
    static final long MAX_UNPACKED_BYTES = 1L << 30;

    /** The folder with the jar at {@code archive}, as {@code function.jar}. */
    public static Path withJar(Path archive) throws CodeLoadException {
        return make(
                archive,
                dir -> {
                    Path jar = dir.resolve("function.jar");
                    try {
                        Files.createLink(jar, archive);
                    } catch (IOException | UnsupportedOperationException e) {
                        Files.copy(archive, jar);
                    }
                });
    }

    /** The folder with the zip at {@code archive} unpacked. */
    public static Path unpacked(Path archive) throws CodeLoadException {
        return make(archive, dir -> unzip(archive, dir));
    }

    private interface Filler {
        void fill(Path dir) throws IOException, CodeLoadException;
    }

    private static Path make(Path archive, Filler filler) throws CodeLoadException {
        Path dir = archive.resolveSibling(archive.getFileName() + ".d");
        if (Files.isDirectory(dir)) {
            return dir;
        }
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory(archive.getParent(), "unpack-");
            filler.fill(tmp);
            try {
                Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // another start of the same code made it first: a rename onto a folder that is not
                // empty fails with ENOTEMPTY, which Java reports as a plain FileSystemException
                // ("Directory not empty"), not as DirectoryNotEmptyException
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                deleteTree(tmp);
            }
            return dir;
        } catch (IOException e) {
            deleteTree(tmp);
            throw new CodeLoadException(
                    "could not unpack the code " + archive.getFileName() + ": " + e.getMessage(),
                    e);
        } catch (CodeLoadException e) {
            deleteTree(tmp);
            throw e;
        }
    }

    private static void unzip(Path archive, Path dir) throws IOException, CodeLoadException {
        long total = 0;
        int entries = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                entries++;
                Path target = dir.resolve(entry.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new CodeLoadException(
                            "the code archive has an entry outside its folder ("
                                    + entry.getName()
                                    + "); deploy a zip with relative paths only");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                total += copy(zip, target, MAX_UNPACKED_BYTES - total);
            }
        }
        if (entries == 0) {
            throw new CodeLoadException(
                    "the code archive is not a zip, or is empty; deploy a folder or a .zip with the"
                            + " handler's file in it");
        }
    }

    private static long copy(InputStream in, Path target, long room)
            throws IOException, CodeLoadException {
        long n = 0;
        byte[] buf = new byte[64 * 1024];
        try (var out = Files.newOutputStream(target)) {
            int r;
            while ((r = in.read(buf)) > 0) {
                n += r;
                if (n > room) {
                    throw new CodeLoadException(
                            "the code unpacks to more than "
                                    + (MAX_UNPACKED_BYTES >> 20)
                                    + " MB; deploy less code");
                }
                out.write(buf, 0, r);
            }
        }
        return n;
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp folder in the cache; harmless
        }
    }

    private CodeDirs() {}
}
