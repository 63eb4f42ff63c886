package dev.flowfn.worker;

import dev.flowfn.api.Handler;
import java.util.Map;

/**
 * A loaded function version: its one handler instance (called from several threads at once, as
 * {@link Handler} says), the class loader of its code, its environment and memory.
 */
record LoadedFunction(
        String function,
        long version,
        Handler handler,
        ClassLoader classLoader,
        Map<String, String> env,
        int memoryMb) {}
