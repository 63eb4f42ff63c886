package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.CodeArchive;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A function's code folder as the code archive {@code deploy --code DIR} uploads: every file under
 * it, at its path from the folder's top, except version-control folders, bytecode caches and
 * desktop litter ({@link #SKIPPED}). Symbolic links are followed (what {@code npm link} or a {@code
 * file:} dependency puts in {@code node_modules} is packed as files). The zip is reproducible: the
 * same files make the same bytes (sorted entries, a fixed time), so a redeploy of an unchanged
 * folder has the same SHA-256 and stores nothing new.
 *
 * <p>Stateless.
 */
final class CodeFolder {

    /** Names of folders and files that are never packed, wherever they are. */
    static final Set<String> SKIPPED =
            Set.of(".git", ".hg", ".svn", "__pycache__", ".DS_Store", "Thumbs.db");

    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(1980, 2, 1, 0, 0);

    /** The zipped folder: its bytes and how many files it holds. */
    record Zipped(byte[] bytes, int files) {}

    /**
     * Zips {@code dir}.
     *
     * @throws UsageException when it is over {@link CodeArchive#MAX_BYTES} zipped (found as soon as
     *     it is), or has a symbolic link loop
     */
    static Zipped zip(Path dir) throws IOException {
        return zip(dir, CodeArchive.MAX_BYTES);
    }

    /** {@link #zip(Path)} with another limit (tests). */
    static Zipped zip(Path dir, long maxBytes) throws IOException {
        TreeMap<String, Path> files = files(dir);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(new Limited(bytes, maxBytes))) {
            for (var file : files.entrySet()) {
                ZipEntry entry = new ZipEntry(file.getKey());
                entry.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(entry);
                Files.copy(file.getValue(), zip);
                zip.closeEntry();
            }
        } catch (TooLarge e) {
            throw new UsageException(
                    "the code in "
                            + dir
                            + " is over the limit of "
                            + mib(maxBytes)
                            + " zipped; leave out what the function does not need at run time"
                            + " (npm install --omit=dev; no tests, caches or build output)");
        }
        return new Zipped(bytes.toByteArray(), files.size());
    }

    /** The files to pack, by entry name (sorted). */
    private static TreeMap<String, Path> files(Path dir) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        Files.walkFileTree(
                dir,
                EnumSet.of(FileVisitOption.FOLLOW_LINKS),
                Integer.MAX_VALUE,
                new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(
                            Path d, BasicFileAttributes attributes) {
                        return !d.equals(dir) && skipped(d)
                                ? FileVisitResult.SKIP_SUBTREE
                                : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                        if (attributes.isRegularFile() && !skipped(file)) {
                            files.put(entryName(dir.relativize(file)), file);
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e)
                            throws IOException {
                        if (e instanceof FileSystemLoopException) {
                            throw new UsageException(
                                    "the code folder has a symbolic link loop at "
                                            + file
                                            + "; remove the link, or zip the folder yourself");
                        }
                        throw e;
                    }
                });
        return files;
    }

    private static boolean skipped(Path path) {
        return SKIPPED.contains(path.getFileName().toString());
    }

    private static String entryName(Path relative) {
        List<String> parts = new ArrayList<>();
        relative.forEach(p -> parts.add(p.toString()));
        return String.join("/", parts);
    }

    /**
     * Unpacks {@code zip} (checked by {@link CodeArchive#check}, so every entry is inside it) into
     * {@code dir}.
     */
    static void unzip(byte[] zip, Path dir) throws IOException {
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path target = dir.resolve(e.getName()).normalize();
                if (!target.startsWith(dir)) {
                    throw new IOException("entry " + e.getName() + " is outside the archive");
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                }
            }
        }
    }

    /** Stops the zip as soon as it is over the limit. */
    private static final class Limited extends OutputStream {
        private final ByteArrayOutputStream out;
        private final long max;

        Limited(ByteArrayOutputStream out, long max) {
            this.out = out;
            this.max = max;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (out.size() + (long) len > max) {
                throw new TooLarge();
            }
            out.write(b, off, len);
        }
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("over the limit");
        }
    }

    private static String mib(long bytes) {
        return bytes % (1024 * 1024) == 0
                ? bytes / (1024 * 1024) + " MiB"
                : String.format(Locale.ROOT, "%.2f MiB", bytes / (1024.0 * 1024.0));
    }

    private CodeFolder() {}
}
