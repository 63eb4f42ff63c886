package dev.flowfn.job.internal.code;

import java.net.URL;
import java.net.URLClassLoader;

/**
 * Loads one function version from its jar. It sees the JDK, the function's own jar and the {@code
 * dev.flowfn.api} package, nothing of the platform (no Flink, Kafka, Avro), so functions bring
 * whatever library versions they like.
 */
public final class FunctionClassLoader extends URLClassLoader {

    static {
        ClassLoader.registerAsParallelCapable();
    }

    public FunctionClassLoader(String name, URL jar, ClassLoader platform) {
        super(name, new URL[] {jar}, new ApiOnly(platform));
    }

    /** Parent of every function class loader: the JDK plus the functions API. */
    private static final class ApiOnly extends ClassLoader {
        private static final String API_PACKAGE = "dev.flowfn.api.";

        static {
            ClassLoader.registerAsParallelCapable();
        }

        private final ClassLoader platform;

        ApiOnly(ClassLoader platform) {
            super("flowfn-api", ClassLoader.getPlatformClassLoader());
            this.platform = platform;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith(API_PACKAGE)) {
                return platform.loadClass(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}
