package dev.flowfn.deploy.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Function jars built in memory from classes on the test class path. */
final class TestJars {

    static final String HANDLER = "dev.flowfn.deploy.control.testfn.UpperHandler";
    static final String NOT_A_HANDLER = "dev.flowfn.deploy.control.testfn.NotAHandler";

    static final String READING_SCHEMA =
            "{\"type\":\"record\",\"name\":\"Reading\",\"namespace\":\"acme\","
                    + "\"fields\":[{\"name\":\"device\",\"type\":\"string\"}]}";

    /** A jar holding the compiled {@link #HANDLER}. */
    static byte[] handlerJar() {
        return jar(Map.of(entry(HANDLER), classBytes(HANDLER)));
    }

    /** A jar holding the compiled handler and the {@code acme.Reading} schema. */
    static byte[] handlerJarWithSchema() {
        return handlerJarWith("acme/Reading.avsc", READING_SCHEMA);
    }

    /** A jar holding the compiled handler and one more entry of this text. */
    static byte[] handlerJarWith(String entry, String text) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(entry(HANDLER), classBytes(HANDLER));
        entries.put(entry, text.getBytes(StandardCharsets.UTF_8));
        return jar(entries);
    }

    /** A jar holding a class that does not implement Handler. */
    static byte[] notAHandlerJar() {
        return jar(Map.of(entry(NOT_A_HANDLER), classBytes(NOT_A_HANDLER)));
    }

    /** The compiled {@link #HANDLER}, for a jar of one's own. */
    static byte[] handlerClass() {
        return classBytes(HANDLER);
    }

    /** The compiled {@link #NOT_A_HANDLER}. */
    static byte[] notAHandlerJarClass() {
        return classBytes(NOT_A_HANDLER);
    }

    static byte[] jar(Map<String, byte[]> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String entry(String className) {
        return className.replace('.', '/') + ".class";
    }

    private static byte[] classBytes(String className) {
        try (InputStream in = TestJars.class.getResourceAsStream("/" + entry(className))) {
            if (in == null) {
                throw new IllegalStateException(className + " is not on the test class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestJars() {}
}
