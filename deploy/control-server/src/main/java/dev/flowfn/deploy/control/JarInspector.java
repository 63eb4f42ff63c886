package dev.flowfn.deploy.control;

import dev.flowfn.api.Handler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an uploaded jar before it is deployed, so mistakes show at deploy time rather than as dead
 * letters: it must be a jar, hold the handler class, and that class must implement {@link Handler}.
 * The class is loaded without running its static initializers.
 */
final class JarInspector {

    static void check(byte[] jar, String handler) {
        String entry = handler.replace('.', '/') + ".class";
        boolean found = false;
        boolean any = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                any = true;
                found |= e.getName().equals(entry);
            }
        } catch (IOException e) {
            throw ApiException.badRequest(
                    "the uploaded file is not a jar ("
                            + e.getMessage()
                            + "); build it with mvn package");
        }
        if (!any) {
            throw ApiException.badRequest(
                    "the uploaded file is not a jar (no entries); build it with mvn package");
        }
        if (!found) {
            throw ApiException.badRequest(
                    "handler class "
                            + handler
                            + " is not in the jar; check --handler"
                            + " (fully qualified, e.g. dev.flowfn.examples.hello.Upper) and that --jar is the right file");
        }
        checkImplementsHandler(jar, handler);
    }

    private static void checkImplementsHandler(byte[] jar, String handler) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("flowfn-inspect-", ".jar");
            Files.write(tmp, jar);
            ClassLoader apiOnly =
                    new ClassLoader(ClassLoader.getPlatformClassLoader()) {
                        @Override
                        protected Class<?> loadClass(String name, boolean resolve)
                                throws ClassNotFoundException {
                            return name.startsWith("dev.flowfn.api.")
                                    ? Handler.class.getClassLoader().loadClass(name)
                                    : super.loadClass(name, resolve);
                        }
                    };
            try (URLClassLoader loader =
                    new URLClassLoader(new URL[] {tmp.toUri().toURL()}, apiOnly)) {
                Class<?> type = Class.forName(handler, false, loader);
                if (!Handler.class.isAssignableFrom(type)) {
                    throw ApiException.badRequest(
                            "class "
                                    + handler
                                    + " does not implement dev.flowfn.api.Handler; implement it, or name the class that does");
                }
            }
        } catch (ClassNotFoundException | LinkageError e) {
            throw ApiException.badRequest(
                    "handler class " + handler + " could not be loaded from the jar: " + e);
        } catch (IOException e) {
            throw new ApiException(500, "could not inspect the jar: " + e.getMessage());
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private JarInspector() {}
}
