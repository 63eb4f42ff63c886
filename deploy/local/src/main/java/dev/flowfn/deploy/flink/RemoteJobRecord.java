package dev.flowfn.deploy.flink;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * What the launcher remembers about its job on an external Flink cluster, in a properties file in
 * the data folder ({@code flink/remote-job.properties}): which cluster, the job id of the last run
 * (to take the job over if it is still running, or to find its last checkpoint), the uploaded jar
 * (to reuse it while the local jar is unchanged) and the last savepoint taken on stop. Never a
 * secret: program arguments are not kept.
 *
 * <p>Immutable; written by the launcher thread only.
 */
record RemoteJobRecord(
        String flinkUrl,
        String jobId,
        String jarId,
        String jarStamp,
        String savepoint,
        long savepointMillis) {

    static final RemoteJobRecord EMPTY = new RemoteJobRecord(null, null, null, null, null, 0);

    static RemoteJobRecord load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return EMPTY;
        }
        Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            p.load(reader);
        }
        return new RemoteJobRecord(
                p.getProperty("flink.url"),
                p.getProperty("job.id"),
                p.getProperty("jar.id"),
                p.getProperty("jar.stamp"),
                p.getProperty("savepoint"),
                Long.parseLong(p.getProperty("savepoint.time", "0")));
    }

    /** Writes the record atomically (a crash leaves the old or the new file, never half of one). */
    void save(Path file) throws IOException {
        Properties p = new Properties();
        put(p, "flink.url", flinkUrl);
        put(p, "job.id", jobId);
        put(p, "jar.id", jarId);
        put(p, "jar.stamp", jarStamp);
        put(p, "savepoint", savepoint);
        put(p, "savepoint.time", savepoint == null ? null : Long.toString(savepointMillis));
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temp)) {
            p.store(writer, "the Flowfn job on an external Flink cluster (flowfn local --flink)");
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Whether the job id and jar id refer to the cluster at {@code url}. */
    boolean isOn(String url) {
        return url.equals(flinkUrl);
    }

    RemoteJobRecord withJob(String url, String job, String jar, String stamp) {
        return new RemoteJobRecord(url, job, jar, stamp, savepoint, savepointMillis);
    }

    /** The savepoint the last stop took, completed at {@code epochMillis} (launcher clock). */
    RemoteJobRecord withSavepoint(String path, long epochMillis) {
        return new RemoteJobRecord(flinkUrl, jobId, jarId, jarStamp, path, epochMillis);
    }

    private static void put(Properties p, String key, String value) {
        if (value != null) {
            p.setProperty(key, value);
        }
    }
}
