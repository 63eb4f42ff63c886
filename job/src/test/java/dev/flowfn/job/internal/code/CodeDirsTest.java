package dev.flowfn.job.internal.code;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeDirsTest {

    @TempDir Path cache;

    /**
     * Two versions with the same code start at once (an alias's canary deployed from the same
     * archive): both unpack it, one rename wins, the other must use the winner's folder.
     */
    @Test
    void concurrentStartsOfTheSameCodeShareOneFolder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 40; round++) {
                Path archive = zip(cache.resolve("code-" + round + ".zip"));
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Path>> starts = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    starts.add(
                            pool.submit(
                                    () -> {
                                        go.await();
                                        return CodeDirs.unpacked(archive);
                                    }));
                }
                go.countDown();
                for (Future<Path> start : starts) {
                    Path dir = start.get();
                    assertThat(dir.resolve("index.js")).hasContent("exports.handler = () => 1;");
                }
            }
        } finally {
            pool.shutdownNow();
        }
        try (var left = Files.list(cache)) {
            assertThat(left.map(p -> p.getFileName().toString()))
                    .as("no unpack- folder left behind")
                    .noneMatch(name -> name.startsWith("unpack-"));
        }
    }

    private static Path zip(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file);
                ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("index.js"));
            zip.write("exports.handler = () => 1;".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
            for (int i = 0; i < 50; i++) {
                zip.putNextEntry(new ZipEntry("lib/f" + i + ".js"));
                zip.write(("module.exports = " + i + ";").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return file;
    }
}
