package dev.flowfn.bench.infra;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Heap of this JVM after full collections, and resident memory of processes from /proc. */
public final class Memory {

    /** Used heap after a full GC, the least of three tries (a GC can race with allocation). */
    public static long heapAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Clock.sleep(150);
            least =
                    Math.min(
                            least,
                            ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }

    public static long metaspaceUsed() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getName().equals("Metaspace")) {
                return pool.getUsage().getUsed();
            }
        }
        return -1;
    }

    /** Heap, metaspace and loaded classes now (call after {@link #heapAfterGc}). */
    public static Map<String, Object> snapshot(long heap) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("heapMiB", mib(heap));
        m.put("metaspaceMiB", mib(metaspaceUsed()));
        m.put("loadedClasses", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        return m;
    }

    /** Resident set size of one process, in bytes; 0 if it is gone. */
    public static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (Exception gone) {
            return 0;
        }
        return 0;
    }

    public static double mib(long bytes) {
        return Math.round(bytes / 1024.0 / 1024.0 * 10) / 10.0;
    }

    private Memory() {}
}
