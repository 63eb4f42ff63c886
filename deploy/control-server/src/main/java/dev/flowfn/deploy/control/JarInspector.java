package dev.flowfn.deploy.control;

import dev.flowfn.api.Handler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Checks an uploaded jar before it is deployed, so mistakes show at deploy time rather than as dead
 * letters: it must be a jar, hold the handler class, and that class must implement {@link Handler}.
 * The class is loaded without running its static initializers. {@link #handlers} lists the classes
 * a jar offers as handlers. Stateless; request threads.
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

    /**
     * The classes of the jar a deploy could name as its handler: public, concrete, top-level or
     * static nested, implementing {@link Handler}, sorted (at most {@value #MAX_HANDLERS}). For the
     * console's deploy form, which offers them to choose from.
     *
     * @throws ApiException 400 when the file is not a jar
     */
    static List<String> handlers(byte[] jar) {
        List<String> classes = new ArrayList<>();
        boolean any = false;
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                any = true;
                String name = e.getName();
                if (name.endsWith(".class")
                        && !name.startsWith("META-INF/")
                        && !name.endsWith("module-info.class")
                        && !name.endsWith("package-info.class")) {
                    classes.add(name.substring(0, name.length() - 6).replace('/', '.'));
                }
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
        List<String> handlers = new ArrayList<>();
        Path tmp = null;
        try {
            tmp = Files.createTempFile("flowfn-inspect-", ".jar");
            Files.write(tmp, jar);
            try (URLClassLoader loader = loader(tmp)) {
                for (String c : classes) {
                    if (handlers.size() < MAX_HANDLERS && isHandler(loader, c)) {
                        handlers.add(c);
                    }
                }
            }
        } catch (IOException e) {
            throw new ApiException(500, "could not inspect the jar: " + e.getMessage());
        } finally {
            delete(tmp);
        }
        Collections.sort(handlers);
        return handlers;
    }

    static final int MAX_HANDLERS = 200;

    private static boolean isHandler(ClassLoader loader, String name) {
        try {
            Class<?> type = Class.forName(name, false, loader);
            int m = type.getModifiers();
            return Handler.class.isAssignableFrom(type)
                    && Modifier.isPublic(m)
                    && !Modifier.isAbstract(m)
                    && !type.isInterface()
                    && (type.getEnclosingClass() == null || Modifier.isStatic(m));
        } catch (ClassNotFoundException | LinkageError e) {
            return false; // a class whose dependencies are not in the jar cannot be a handler
        }
    }

    /** A class loader over the jar that sees the JDK and dev.flowfn.api, as the job's does. */
    private static URLClassLoader loader(Path jar) throws IOException {
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
        return new URLClassLoader(new URL[] {jar.toUri().toURL()}, apiOnly);
    }

    private static void delete(Path tmp) {
        if (tmp != null) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }

    private static void checkImplementsHandler(byte[] jar, String handler) {
        Path tmp = null;
        try {
            tmp = Files.createTempFile("flowfn-inspect-", ".jar");
            Files.write(tmp, jar);
            try (URLClassLoader loader = loader(tmp)) {
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
            delete(tmp);
        }
    }

    private JarInspector() {}
}
