package dev.flowfn.deploy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real child JVM under {@link ExitWithParent}: it runs its main, and exits when its pipe ends.
 */
class ExitWithParentIT {

    /** An engine that would run forever and says so when its shutdown hook runs. */
    public static final class Forever {
        public static void main(String[] args) throws InterruptedException {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("hook ran")));
            System.out.println("engine started with " + String.join(",", args));
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void theChildExitsThroughItsHooksWhenItsParentsEndOfThePipeCloses() throws Exception {
        Process child = start(Forever.class.getName(), "a", "b");
        try {
            awaitOutput(child, "engine started with a,b");
            assertThat(child.isAlive()).as("still running while the pipe is open").isTrue();

            child.getOutputStream().close(); // what the kernel does when the parent dies

            assertThat(child.waitFor(ExitWithParent.GRACE.toSeconds() + 5, TimeUnit.SECONDS))
                    .as("exited after end-of-file")
                    .isTrue();
            assertThat(child.exitValue()).isEqualTo(ExitWithParent.PARENT_GONE);
            String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(out).contains("hook ran");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void anUnknownMainClassFailsTheChild() throws Exception {
        Process child = start("no.such.Main");
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(child.exitValue()).isNotZero();
        assertThat(new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("ClassNotFoundException")
                .contains("no.such.Main");
    }

    private static Process start(String... args) throws Exception {
        var command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                ExitWithParent.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static void awaitOutput(Process child, String line) throws Exception {
        var reader =
                new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        for (String l = reader.readLine(); l != null; l = reader.readLine()) {
            if (l.equals(line)) {
                return;
            }
        }
        throw new AssertionError("the child ended before printing '" + line + "'");
    }
}
