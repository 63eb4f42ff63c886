package dev.flowfn.worker;

import dev.flowfn.api.Handler;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Loads a function version for a {@code LOAD}: a class loader over every {@code *.jar} in its code
 * directory (and the directory itself when it holds {@code .class} files), whose parent shows only
 * the JDK and the functions API ({@link ApiOnlyClassLoader}); then one instance of the handler
 * class, made with its public no-arg constructor while the thread's context class loader is the
 * function's. Failures become {@link CodeLoadException}s whose message names the fix, as the
 * in-TaskManager runtime's do. Stateless; called on the worker's loader thread.
 */
final class FunctionLoader {

    private final ClassLoader parent;

    FunctionLoader(ClassLoader parent) {
        this.parent = parent;
    }

    /** Loads with a parent that shows the JDK and the API of the worker's own class loader. */
    static FunctionLoader isolated() {
        return new FunctionLoader(new ApiOnlyClassLoader(Handler.class.getClassLoader()));
    }

    /**
     * @throws CodeLoadException naming the fix
     * @throws OutOfMemoryError as it came (the worker then exits with status 3)
     */
    LoadedFunction load(LoadRequest request) throws CodeLoadException {
        URLClassLoader loader =
                new URLClassLoader(
                        "flowfn-" + request.function() + "-v" + request.version(),
                        codeUrls(Path.of(request.codeDir())),
                        parent);
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            Handler handler = instantiate(request.handler(), loader);
            return new LoadedFunction(
                    request.function(),
                    request.version(),
                    handler,
                    loader,
                    request.env(),
                    request.memoryMb());
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The jars of a code directory in name order, then the directory if it has classes. */
    static URL[] codeUrls(Path dir) throws CodeLoadException {
        if (!Files.isDirectory(dir)) {
            throw new CodeLoadException(
                    "code directory " + dir + " does not exist; deploy the function again");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) { // no glob: no regex
            for (Path entry : entries) {
                if (entry.getFileName().toString().endsWith(".jar") && Files.isRegularFile(entry)) {
                    jars.add(entry);
                }
            }
        } catch (IOException e) {
            throw new CodeLoadException("cannot list code directory " + dir + ": " + e, e);
        }
        Collections.sort(jars);
        boolean classes = holdsClasses(dir);
        if (jars.isEmpty() && !classes) {
            throw new CodeLoadException(
                    "no .jar (nor .class) files in code directory "
                            + dir
                            + "; deploy the function's jar with the java runtime");
        }
        try {
            List<URL> urls = new ArrayList<>(jars.size() + 1);
            for (Path jar : jars) {
                urls.add(jar.toUri().toURL());
            }
            if (classes) {
                urls.add(dir.toUri().toURL()); // a directory URI ends with '/': classes, not a jar
            }
            return urls.toArray(new URL[0]);
        } catch (MalformedURLException e) {
            throw new CodeLoadException("bad code path in " + dir + ": " + e, e);
        }
    }

    private static boolean holdsClasses(Path dir) throws CodeLoadException {
        boolean[] found = {false};
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                            if (file.getFileName().toString().endsWith(".class")) {
                                found[0] = true;
                                return FileVisitResult.TERMINATE;
                            }
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new CodeLoadException("cannot read code directory " + dir + ": " + e, e);
        }
        return found[0];
    }

    private static Handler instantiate(String name, ClassLoader loader) throws CodeLoadException {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new CodeLoadException(
                    "handler class "
                            + name
                            + " is not in the jar; check --handler (the fully qualified name of a"
                            + " class"
                            + " that implements dev.flowfn.api.Handler, e.g. com.example.Thumbnail)");
        } catch (UnsupportedClassVersionError e) {
            throw new CodeLoadException(
                    "class "
                            + name
                            + " was compiled for a newer Java than this worker's "
                            + Runtime.version().feature()
                            + " ("
                            + e.getMessage()
                            + "); compile with --release "
                            + Runtime.version().feature(),
                    e);
        } catch (LinkageError e) {
            throw new CodeLoadException(
                    "class " + name + " cannot be loaded: " + e + "; " + linkageFix(e), e);
        }
        if (!Handler.class.isAssignableFrom(type)) {
            throw new CodeLoadException(
                    "class "
                            + name
                            + " does not implement dev.flowfn.api.Handler; implement it, or name"
                            + " the class that does with --handler");
        }
        if (!Modifier.isPublic(type.getModifiers())) {
            throw new CodeLoadException(
                    "class "
                            + name
                            + " is not public; make it public, with a public no-arg"
                            + " constructor");
        }
        if (Modifier.isAbstract(type.getModifiers())) {
            throw new CodeLoadException(
                    "class " + name + " is abstract; name a concrete class with --handler");
        }
        Constructor<?> constructor;
        try {
            constructor = type.getConstructor();
        } catch (NoSuchMethodException e) {
            throw new CodeLoadException(
                    "class "
                            + name
                            + " has no public no-arg constructor; add one (the platform makes one"
                            + " instance per version with it)");
        }
        try {
            return (Handler) constructor.newInstance();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            OutOfMemory.exitIfCause(cause);
            throw new CodeLoadException(
                    "the constructor of "
                            + name
                            + " threw "
                            + cause
                            + "; fix the constructor (it runs when the version loads)",
                    cause);
        } catch (ExceptionInInitializerError e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            OutOfMemory.exitIfCause(cause);
            throw new CodeLoadException(
                    "the static initializer of "
                            + name
                            + " threw "
                            + cause
                            + "; fix it (it runs when the version loads)",
                    cause);
        } catch (ReflectiveOperationException e) { // not accessible, abstract: checked above
            throw new CodeLoadException("cannot create an instance of " + name + ": " + e, e);
        } catch (LinkageError e) {
            throw new CodeLoadException(
                    "class " + name + " cannot be loaded: " + e + "; " + linkageFix(e), e);
        }
    }

    private static String linkageFix(LinkageError e) {
        return e instanceof NoClassDefFoundError
                ? "bundle the libraries it needs in its jar, or put their jars beside it"
                : "rebuild the jar against the libraries it ships with";
    }
}
