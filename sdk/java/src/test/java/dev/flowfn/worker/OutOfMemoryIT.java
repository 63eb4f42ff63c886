package dev.flowfn.worker;

import static dev.flowfn.worker.FakeJob.invoke;
import static dev.flowfn.worker.FakeJob.load;
import static org.assertj.core.api.Assertions.assertThat;

import com.example.fns.Hog;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A handler that fills the heap ends the worker with status 3, however the JVM was started. */
class OutOfMemoryIT {

    @TempDir Path dir;
    private FakeJob job;

    @AfterEach
    void stopWorker() throws IOException {
        if (job != null) {
            job.close();
        }
    }

    private int runHog(List<String> jvmOptions, String data) throws Exception {
        job = FakeJob.start(dir, Map.of(), jvmOptions);
        job.next();
        Path code = TestJars.jar(dir.resolve("code/hog.jar"), Hog.class).getParent();
        job.send(load(1, Hog.class.getName(), code, Map.of()), invoke("h", 1, data));
        return job.exitStatus();
    }

    @Test
    void asTheJobStartsIt() throws Exception {
        assertThat(runHog(List.of("-Xmx32m", "-XX:+ExitOnOutOfMemoryError"), "")).isEqualTo(3);
        assertThat(job.output()).contains("Terminating due to java.lang.OutOfMemoryError");
    }

    @Test
    void withoutExitOnOutOfMemoryError() throws Exception {
        assertThat(runHog(List.of("-Xmx32m"), "")).isEqualTo(3);
        assertThat(job.output()).contains("flowfn-worker: out of memory");
    }

    @Test
    void whenTheHandlerWrapsTheError() throws Exception {
        assertThat(runHog(List.of("-Xmx32m"), "catch")).isEqualTo(3);
        assertThat(job.output()).contains("flowfn-worker: out of memory");
    }
}
