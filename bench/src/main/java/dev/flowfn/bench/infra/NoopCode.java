package dev.flowfn.bench.infra;

import dev.flowfn.bench.fns.Noop;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The no-op function in each runtime the benchmarks run, as a user would deploy it: a jar for
 * {@code java-embedded} and {@code java} (the {@link Noop} class), a zip for {@code nodejs} and
 * {@code python} (a handler that returns {@code Result.empty()}, as Noop does). The code is written
 * to a file the job reads through a {@code file:} URI, as {@link Functions} does with its jar.
 *
 * @param runtime the spec's runtime
 * @param handler the spec's handler
 * @param codeUri a {@code file:} URI of the jar or zip
 * @param sha256 its SHA-256, lower-case hex
 */
public record NoopCode(String runtime, String handler, String codeUri, String sha256) {

    public static final String JAVA_EMBEDDED = "java-embedded";
    public static final String JAVA = "java";
    public static final String NODEJS = "nodejs";
    public static final String PYTHON = "python";

    /** The runtimes scenario 11 compares, the baseline first. */
    public static final List<String> RUNTIMES = List.of(JAVA_EMBEDDED, JAVA, NODEJS, PYTHON);

    /**
     * Writes the no-op function of {@code runtime} to {@code dir}. The code carries {@code tag} (a
     * comment, or a text entry in the jar), so each tag is code of its own: a fresh version with a
     * fresh tag is fetched, checked and unpacked like new code, not found in the code cache.
     */
    public static NoopCode write(String runtime, Path dir, String tag) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        String handler;
        switch (runtime) {
            case JAVA_EMBEDDED, JAVA -> {
                handler = Noop.class.getName();
                entries.put(classFile(Noop.class), classBytes(Noop.class));
                entries.put("flowfn-bench.txt", utf8(tag + "\n"));
            }
            case NODEJS -> {
                handler = "index.handler";
                entries.put(
                        "index.js",
                        utf8(
                                "// "
                                        + tag
                                        + "\nconst { Result } = require('@flowfn/sdk');\n"
                                        + "exports.handler = () => Result.empty();\n"));
            }
            case PYTHON -> {
                handler = "handler.main";
                entries.put(
                        "handler.py",
                        utf8(
                                "# "
                                        + tag
                                        + "\nfrom flowfn import Result\n\n\n"
                                        + "def main(event, context):\n"
                                        + "    return Result.empty()\n"));
            }
            default ->
                    throw new IllegalArgumentException("no no-op function for runtime " + runtime);
        }
        byte[] archive = zip(entries);
        String extension = handler.equals(Noop.class.getName()) ? ".jar" : ".zip";
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve("noop-" + runtime + "-" + tag + extension);
            Files.write(file, archive);
            return new NoopCode(runtime, handler, file.toUri().toString(), Jars.sha256(archive));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Entries in this order; a jar needs no manifest to be loaded. */
    static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String classFile(Class<?> c) {
        return c.getName().replace('.', '/') + ".class";
    }

    private static byte[] classBytes(Class<?> c) {
        try (InputStream in = c.getClassLoader().getResourceAsStream(classFile(c))) {
            if (in == null) {
                throw new IllegalStateException("class file of " + c.getName() + " not found");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
