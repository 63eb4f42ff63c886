package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code flowfn init} for each runtime, then the scaffold's own test, run for real as the printed
 * command says ({@code node --test}, {@code python3 -m unittest}, {@code mvn -o -q package}), and
 * then {@code flowfn deploy} of it as far as the server (no server here): every check before the
 * upload passes, the export check included.
 *
 * <p>The java scaffold resolves {@code dev.flowfn:functions-api} from the local Maven repository
 * (offline), where {@code ./flowfn} installs it when it builds; this test never installs it (the
 * repository is shared), so it is skipped when the artifact is not there.
 */
class InitCommandIT {

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {}

    @Test
    void aNodejsScaffoldsTestPassesAndItDeploysAsItIs() throws Exception {
        assumeTrue(onPath("node"), "node is not on the PATH (scripts/install-test-tools)");
        Path fn = dir.resolve("greeter");
        assertThat(flowfn("init", "--runtime", "nodejs", "greeter", "--dir", fn.toString()).exit)
                .isZero();

        Child.Result test = Child.run(fn, Map.of(), "node", "--test");

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("# pass 1").contains("# fail 0");
        assertGetsAsFarAsTheServer("nodejs", fn, "index.handler");
    }

    @Test
    void aPythonScaffoldsTestPassesAndItDeploysAsItIs() throws Exception {
        assumeTrue(onPath("python3"), "python3 is not on the PATH (scripts/install-test-tools)");
        Path fn = dir.resolve("orders");
        Run init = flowfn("init", "--runtime", "python", "orders", "--dir", fn.toString());
        assertThat(init.exit).isZero();
        String pythonPath =
                init.out.replaceAll("(?s).*PYTHONPATH=(\\S+) python3 -m unittest.*", "$1");

        Child.Result test =
                Child.run(fn, Map.of("PYTHONPATH", pythonPath), "python3", "-m", "unittest", "-v");

        assertThat(test.exit()).as(test.output()).isZero();
        assertThat(test.output()).contains("test_greets_who_the_event_names").contains("OK");
        try (var walk = Files.walk(fn)) { // what the test run left: deploy would skip it anyway
            walk.filter(p -> p.getFileName().toString().equals("__pycache__"))
                    .toList()
                    .forEach(InitCommandIT::deleteTree);
        }
        assertGetsAsFarAsTheServer("python", fn, "handler.main");
    }

    @Test
    void aJavaScaffoldsTestPassesAndItPackagesToTheJarTheDeployCommandNames() throws Exception {
        assumeTrue(onPath("mvn"), "mvn is not on the PATH");
        Path api =
                Path.of(
                        System.getProperty("user.home"),
                        ".m2/repository/dev/flowfn/functions-api",
                        InitCommand.FLOWFN_VERSION,
                        "functions-api-" + InitCommand.FLOWFN_VERSION + ".jar");
        assumeTrue(
                Files.isRegularFile(api),
                "functions-api is not in the local Maven repository: ./flowfn installs it when it"
                        + " builds (this test does not install into the shared repository)");
        Path fn = dir.resolve("my-fn");
        Run init = flowfn("init", "my-fn", "--dir", fn.toString());
        assertThat(init.exit).isZero();

        Child.Result build = Child.run(fn, Map.of(), "mvn", "-o", "-q", "-B", "package");

        assertThat(build.exit()).as(build.output()).isZero();
        assertThat(fn.resolve("target/surefire-reports/com.example.myfn.MyFnTest.txt"))
                .content()
                .contains("Tests run: 1, Failures: 0, Errors: 0");
        assertThat(fn.resolve("target/my-fn.jar")).isRegularFile();
        Run deploy =
                flowfn(
                        "deploy",
                        "--data-dir",
                        dir.resolve("no-platform").toString(),
                        "--name",
                        "my-fn",
                        "--jar",
                        fn.resolve("target/my-fn.jar").toString(),
                        "--handler",
                        "com.example.myfn.MyFn");
        assertThat(deploy.err).contains("no Flowfn server found");
    }

    private void assertGetsAsFarAsTheServer(String runtime, Path fn, String handler) {
        Run deploy =
                flowfn(
                        "deploy",
                        "--data-dir",
                        dir.resolve("no-platform").toString(),
                        "--name",
                        "fn",
                        "--runtime",
                        runtime,
                        "--code",
                        fn.toString(),
                        "--handler",
                        handler);
        assertThat(deploy.exit).as(deploy.err).isEqualTo(1);
        assertThat(deploy.err).doesNotContain("warning").contains("no Flowfn server found");
    }

    private static Run flowfn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private static void deleteTree(Path root) {
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A child process in a folder, its output (stdout and stderr) captured. */
    private static final class Child {
        record Result(int exit, String output) {}

        static Result run(Path cwd, Map<String, String> env, String... command)
                throws IOException, InterruptedException {
            Path log = Files.createTempFile("flowfn-init-it-", ".log");
            try {
                ProcessBuilder builder =
                        new ProcessBuilder(List.of(command))
                                .directory(cwd.toFile())
                                .redirectErrorStream(true)
                                .redirectOutput(log.toFile());
                builder.environment().putAll(env);
                Process p = builder.start();
                if (!p.waitFor(5, TimeUnit.MINUTES)) {
                    p.destroyForcibly();
                    return new Result(-1, "timed out: " + Files.readString(log));
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        }
    }
}
