package dev.flowfn.worker;

import java.io.IOException;
import java.net.URL;
import java.util.Enumeration;

/**
 * The parent of every function's class loader: the JDK (the platform class loader, so {@code
 * java.sql} and the like too, but not the application class path) plus the {@code dev.flowfn.api}
 * package from the worker's own loader. Nothing else of the worker's class path shows through: the
 * job starts the worker with its own big jar (Flink, Kafka, Avro, Jackson) as the class path, and a
 * function must see its own versions of such libraries, or none.
 *
 * <p>A function jar that bundles the API gets the worker's copy (parent first), so its handler
 * implements the very {@code Handler} the worker calls.
 */
final class ApiOnlyClassLoader extends ClassLoader {

    static final String API_PACKAGE = "dev.flowfn.api.";
    private static final String API_RESOURCES = "dev/flowfn/api/";

    static {
        ClassLoader.registerAsParallelCapable();
    }

    private final ClassLoader api;

    /**
     * @param api the loader of {@code dev.flowfn.api} (the worker's own)
     */
    ApiOnlyClassLoader(ClassLoader api) {
        super("flowfn-api", ClassLoader.getPlatformClassLoader());
        this.api = api;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith(API_PACKAGE)) {
            return api.loadClass(name);
        }
        return super.loadClass(name, resolve);
    }

    @Override
    public URL getResource(String name) {
        return name.startsWith(API_RESOURCES) ? api.getResource(name) : super.getResource(name);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        return name.startsWith(API_RESOURCES) ? api.getResources(name) : super.getResources(name);
    }
}
