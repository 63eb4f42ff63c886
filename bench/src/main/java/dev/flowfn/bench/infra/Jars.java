package dev.flowfn.bench.infra;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Function jars for the benchmarks: the handlers of {@code dev.flowfn.bench.fns}, optionally
 * padded.
 */
public final class Jars {

    /** A jar holding exactly these classes, as a function author's build would make it. */
    public static byte[] of(Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Class<?> c : classes) {
                addClass(jar, c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A jar of about {@code targetBytes} holding these classes plus real library classes copied
     * from jars on this JVM's class path (as a shaded function jar carries its dependencies). The
     * handler never touches the padding: a cold start pays for moving, hashing and opening the jar,
     * not for loading 30 MB of classes.
     */
    public static byte[] padded(long targetBytes, Class<?>... classes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) targetBytes + (1 << 20));
        Set<String> names = new HashSet<>();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Class<?> c : classes) {
                names.add(addClass(jar, c));
            }
            for (String entry : classPathJars()) {
                if (bytes.size() >= targetBytes) {
                    break;
                }
                if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                    continue;
                }
                try (JarFile source = new JarFile(entry)) {
                    for (JarEntry e : (Iterable<JarEntry>) source.stream()::iterator) {
                        if (bytes.size() >= targetBytes) {
                            break;
                        }
                        if (!e.getName().endsWith(".class")
                                || e.getName().startsWith("META-INF/")
                                || !names.add(e.getName())) {
                            continue;
                        }
                        jar.putNextEntry(new JarEntry(e.getName()));
                        try (InputStream in = source.getInputStream(e)) {
                            in.transferTo(jar);
                        }
                        jar.closeEntry();
                        jar.flush();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The jars on this JVM's class path, including those a manifest-only jar (as Maven's test
     * runners use) names in its {@code Class-Path}.
     */
    static java.util.List<String> classPathJars() throws IOException {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!entry.endsWith(".jar") || !Files.isRegularFile(Path.of(entry))) {
                continue;
            }
            out.add(entry);
            try (JarFile jar = new JarFile(entry)) {
                var manifest = jar.getManifest();
                String more =
                        manifest == null
                                ? null
                                : manifest.getMainAttributes().getValue("Class-Path");
                if (more == null) {
                    continue;
                }
                for (String url : more.trim().split("\\s+")) {
                    try {
                        Path p = Path.of(Path.of(entry).toUri().resolve(url));
                        if (p.toString().endsWith(".jar") && Files.isRegularFile(p)) {
                            out.add(p.toString());
                        }
                    } catch (IllegalArgumentException
                            | java.nio.file.FileSystemNotFoundException e) {
                        // not a file URL: skip it
                    }
                }
            }
        }
        return out;
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String addClass(JarOutputStream jar, Class<?> c) throws IOException {
        String name = c.getName().replace('.', '/') + ".class";
        try (InputStream in = c.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("class file of " + c.getName() + " not found");
            }
            jar.putNextEntry(new JarEntry(name));
            in.transferTo(jar);
            jar.closeEntry();
        }
        return name;
    }

    private Jars() {}
}
