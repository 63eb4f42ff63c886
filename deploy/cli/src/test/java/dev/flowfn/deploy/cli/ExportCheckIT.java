package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy}'s export check with the real {@code node} and {@code python3} (child processes, no
 * server): a handler its file does not export is a usage error before anything is uploaded; a
 * module that cannot load here is a warning; a valid one gets as far as the server.
 */
class ExportCheckIT {

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void toolsAreThere() {
        assumeTrue(onPath("node"), "node is not on the PATH (scripts/install-test-tools)");
        assumeTrue(onPath("python3"), "python3 is not on the PATH (scripts/install-test-tools)");
    }

    @Test
    void aNodejsExportThatIsNotThereIsAUsageErrorThatListsTheOthers() throws IOException {
        Path code = folder("index.js", "exports.handler = async () => 'hi'; exports.other = 1;");

        Run r = deploy("nodejs", code, "index.hndlr");

        assertThat(r.exit).as(r.err).isEqualTo(2);
        assertThat(r.err)
                .contains("error: index.js has no function 'hndlr'; check --handler")
                .contains("(its functions: handler)");
    }

    @Test
    void anEsModuleAndAModuleWithOutputAreLoadedAsTheWorkerLoadsThem() throws IOException {
        Path esm =
                folder(
                        "package.json",
                        "{\"type\": \"module\"}",
                        "src/app.js",
                        "console.log('loading'); setInterval(() => {}, 1000);"
                                + " export const main = async () => 'hi';");

        Run r = deploy("nodejs", esm, "src/app.main");

        assertThat(r.err).doesNotContain("warning").contains("no Flowfn server found");
    }

    @Test
    void aModuleThatCannotLoadHereIsAWarningAndItsEnvIsSet() throws IOException {
        Path code =
                folder(
                        "index.js",
                        "if (!process.env.API_URL) throw new Error('API_URL is not set');"
                                + " exports.handler = () => 1;");

        Run without = deploy("nodejs", code, "index.handler");
        Run with = deploy("nodejs", code, "index.handler", "--env", "API_URL=http://x");

        assertThat(without.err)
                .contains(
                        "warning: could not check that index.js exports 'handler' (index.js threw"
                                + " while loading: Error: API_URL is not set); deploying anyway")
                .contains("no Flowfn server found");
        assertThat(with.err).doesNotContain("warning").contains("no Flowfn server found");
    }

    @Test
    void aPythonFunctionThatIsNotThereIsAUsageErrorAndNoBytecodeIsLeft() throws IOException {
        Path code =
                folder(
                        "pkg/__init__.py",
                        "",
                        "pkg/orders.py",
                        "from flowfn import Result\n"
                                + "import helper\n\n"
                                + "def main(event, context):\n    return Result.text(helper.x)\n",
                        "helper.py",
                        "x = 'hi'\n");

        Run wrong = deploy("python", code, "pkg.orders.mian");
        Run right = deploy("python", code, "pkg.orders.main");

        assertThat(wrong.exit).as(wrong.err).isEqualTo(2);
        assertThat(wrong.err)
                .contains("error: pkg/orders.py has no function 'mian'; check --handler")
                .contains("(its functions: main)");
        // the SDK is found as the worker finds it, and siblings import from the code folder
        assertThat(right.err).doesNotContain("warning").contains("no Flowfn server found");
        try (var files = Files.walk(code)) {
            assertThat(files.map(Path::toString)).noneMatch(p -> p.contains("__pycache__"));
        }
    }

    @Test
    void aZipIsUnpackedToBeChecked() throws IOException {
        Path code = folder("handler.py", "def main(event, context):\n    return 'hi'\n");
        Path zip = dir.resolve("fn.zip");
        Files.write(zip, CodeFolder.zip(code).bytes());

        Run wrong = deploy("python", zip, "handler.other");
        Run right = deploy("python", zip, "handler.main");

        assertThat(wrong.exit).isEqualTo(2);
        assertThat(wrong.err).contains("handler.py has no function 'other'");
        assertThat(right.err).contains("no Flowfn server found");
    }

    @Test
    void noExportCheckSkipsIt() throws IOException {
        Path code = folder("index.js", "exports.handler = 1;");

        assertThat(deploy("nodejs", code, "index.nothing").exit).isEqualTo(2);
        assertThat(deploy("nodejs", code, "index.nothing", "--no-export-check").err)
                .contains("no Flowfn server found");
    }

    private Run deploy(String runtime, Path code, String handler, String... extra) {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "deploy",
                                "--data-dir",
                                dir.resolve("no-platform").toString(),
                                "--name",
                                "fn",
                                "--runtime",
                                runtime,
                                "--code",
                                code.toString(),
                                "--handler",
                                handler));
        args.addAll(List.of(extra));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(
                        args.toArray(String[]::new),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private Path folder(String... namesAndTexts) throws IOException {
        Path code = Files.createTempDirectory(dir, "code");
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            Path file = code.resolve(namesAndTexts[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, namesAndTexts[i + 1]);
        }
        return code;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
