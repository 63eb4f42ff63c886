package dev.flowfn.worker;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/**
 * Puts compiled test classes (with their nested classes) in a jar, or in a directory, the way a
 * function's code is deployed; the worker then loads them from there, not from the test class path.
 */
final class TestJars {

    private TestJars() {}

    /** A jar at {@code jar} holding {@code classes}. */
    static Path jar(Path jar, Class<?>... classes) {
        try {
            Files.createDirectories(jar.getParent());
            try (OutputStream file = Files.newOutputStream(jar);
                    JarOutputStream out = new JarOutputStream(file)) {
                for (Class<?> c : classes) {
                    for (Path classFile : classFiles(c)) {
                        out.putNextEntry(new JarEntry(entryName(c, classFile)));
                        Files.copy(classFile, out);
                        out.closeEntry();
                    }
                }
            }
            return jar;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The class files of {@code classes}, copied under {@code dir} by package. */
    static Path classes(Path dir, Class<?>... classes) {
        try {
            for (Class<?> c : classes) {
                for (Path classFile : classFiles(c)) {
                    Path target = dir.resolve(entryName(c, classFile));
                    Files.createDirectories(target.getParent());
                    Files.copy(classFile, target);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where a class was loaded from: a directory or a jar, as a class path entry. */
    static Path location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String entryName(Class<?> c, Path classFile) {
        return c.getPackageName().replace('.', '/') + "/" + classFile.getFileName();
    }

    /** {@code Name.class} and {@code Name$*.class} of a top-level class. */
    private static Iterable<Path> classFiles(Class<?> c) throws IOException {
        Path dir = location(c).resolve(c.getPackageName().replace('.', '/'));
        List<Path> files = new ArrayList<>();
        files.add(dir.resolve(c.getSimpleName() + ".class"));
        try (DirectoryStream<Path> nested =
                Files.newDirectoryStream(dir, c.getSimpleName() + "$*.class")) {
            nested.forEach(files::add);
        }
        return files;
    }
}
