package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.CodeArchive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The CLI rejects bad input before it contacts any server, and names the fix. */
class CliValidationTest {

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private Run deploy(String... extra) {
        String[] base = {
            "deploy",
            "--data-dir",
            dir.toString(),
            "--name",
            "upper",
            "--jar",
            "hello.jar",
            "--handler",
            "dev.flowfn.examples.hello.Upper"
        };
        String[] all = new String[base.length + extra.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return run(all);
    }

    @Test
    void invalidNameMemoryTimeoutTriggerAndEnvAreUsageErrors() {
        Run name =
                run(
                        "deploy",
                        "--data-dir",
                        dir.toString(),
                        "--name",
                        "My Func",
                        "--jar",
                        "x.jar",
                        "--handler",
                        "a.B");
        assertThat(name.exit).isEqualTo(2);
        assertThat(name.err).contains("function name 'My Func' must match");

        assertThat(deploy("--memory", "10").err)
                .contains("memory 10 MB is out of range")
                .contains("--memory 256");
        assertThat(deploy("--timeout", "soon").err).contains("duration 'soon' is not understood");
        assertThat(deploy("--trigger", "kafka:topc=words").err)
                .contains("unknown parameter 'topc'");
        assertThat(deploy("--trigger", "s4:bucket=x").err)
                .contains("trigger kind 's4' is not available");
        assertThat(deploy("--env", "NOVALUE").err).contains("--env 'NOVALUE' is not K=V");
        assertThat(deploy("--memory", "10").exit).isEqualTo(2);
    }

    @Test
    void badOutputsAreUsageErrorsAndALoopIsWarnedBeforeUpload() {
        Run notS3 = deploy("--output", "/tmp/thumbs");
        assertThat(notS3.exit).isEqualTo(2);
        assertThat(notS3.err)
                .contains("must be an s3:// location, e.g. --output s3://photos/thumbs/");
        assertThat(deploy("--output", "s3://Bad_Bucket/x").err)
                .contains("bucket 'Bad_Bucket' is not a valid S3 bucket name");

        Run loop =
                deploy(
                        "--trigger",
                        "s3:bucket=photos,suffix=.jpg",
                        "--output",
                        "s3://photos/thumbs/");
        assertThat(loop.err)
                .contains(
                        "warning: trigger 's3:bucket=photos,suffix=.jpg' matches objects the"
                                + " function writes to s3://photos/thumbs/")
                .contains("prefix=uploads/");
        assertThat(loop.err).contains("no jar at hello.jar"); // warned, then went on

        Run noLoop =
                deploy(
                        "--trigger",
                        "s3:bucket=photos,prefix=uploads/,suffix=.jpg",
                        "--output",
                        "s3://photos/thumbs/");
        assertThat(noLoop.err).doesNotContain("warning");
    }

    @Test
    void aMissingJarOrServerSaysWhatToDo() {
        Run noJar = deploy();
        assertThat(noJar.exit).isEqualTo(1);
        assertThat(noJar.err).contains("no jar at hello.jar");

        Run noServer = run("list", "--data-dir", dir.toString());
        assertThat(noServer.exit).isEqualTo(1);
        assertThat(noServer.err).contains("no Flowfn server found").contains("./flowfn local");
    }

    private Run deployRuntime(String... args) {
        List<String> all =
                new ArrayList<>(List.of("deploy", "--data-dir", dir.toString(), "--name", "fn"));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    private Path folder(String... namesAndTexts) throws IOException {
        Path code = Files.createDirectories(dir.resolve("code-" + namesAndTexts.length));
        for (int i = 0; i < namesAndTexts.length; i += 2) {
            Path file = code.resolve(namesAndTexts[i]);
            Files.createDirectories(file.getParent());
            Files.writeString(file, namesAndTexts[i + 1]);
        }
        return code;
    }

    private static void assertUsage(Run r, String... fragments) {
        assertThat(r.exit).as(r.err).isEqualTo(2);
        assertThat(r.err).startsWith("error: ").contains(fragments);
        assertThat(r.err).doesNotContain("Uploading");
    }

    @Test
    void wrongRuntimeCombinationsAreUsageErrorsThatNameTheFix() throws IOException {
        Path code = folder("index.js", "exports.handler = () => 1;");

        assertUsage(
                deployRuntime("--runtime", "node", "--code", code.toString()),
                "runtime 'node' is not one of java, java-embedded, nodejs, python, http");
        assertUsage(
                deployRuntime(
                        "--runtime", "nodejs", "--jar", "x.jar", "--handler", "index.handler"),
                "--jar is for java and java-embedded functions",
                "--code DIR|ZIP");
        assertUsage(
                deployRuntime("--code", code.toString(), "--handler", "index.handler"),
                "--code is for nodejs and python functions",
                "--runtime nodejs");
        assertUsage(
                deployRuntime("--runtime", "python", "--handler", "handler.main"),
                "a python function needs --code DIR|ZIP");
        assertUsage(
                deployRuntime("--runtime", "java-embedded", "--handler", "a.B"),
                "a java-embedded function needs --jar FILE");
        assertUsage(
                deployRuntime("--runtime", "nodejs", "--code", code.toString()),
                "missing --handler; e.g. --handler index.handler");
        assertUsage(
                deployRuntime(
                        "--runtime", "nodejs", "--code", code.toString(), "--handler", "index"),
                "handler 'index' must be FILE.EXPORT");
        assertUsage(
                deployRuntime("--jar", "x.jar", "--handler", "a.B", "--url", "https://x.example/"),
                "--url is for --runtime http");
    }

    @Test
    void anHttpFunctionTakesAUrlAndNoCodeOrHandler() {
        assertUsage(deployRuntime("--runtime", "http"), "an http function needs --url URL");
        assertUsage(
                deployRuntime("--runtime", "http", "--url", "https://x.example/", "--jar", "x.jar"),
                "an http function has no code to upload",
                "leave out --jar");
        assertUsage(
                deployRuntime(
                        "--runtime", "http", "--url", "https://x.example/", "--handler", "a.B"),
                "an http function has no handler");
        assertUsage(
                deployRuntime("--runtime", "http", "--url", "ftp://x.example/"),
                "must be the http(s) URL the function is served at");

        Run ok = deployRuntime("--runtime", "http", "--url", "https://x.example/fn");
        assertThat(ok.exit).isEqualTo(1);
        assertThat(ok.err).contains("no Flowfn server found"); // every check passed
    }

    @Test
    void theHandlersFileMustBeInTheCodeBeforeAnythingIsUploaded() throws IOException {
        Path code = folder("main.js", "exports.handler = () => 1;", "lib/util.js", "");

        assertUsage(
                deployRuntime(
                        "--runtime",
                        "nodejs",
                        "--code",
                        code.toString(),
                        "--handler",
                        "index.handler"),
                "index.js is not in the code archive",
                "its top has: lib/, main.js");
        assertUsage(
                deployRuntime(
                        "--runtime", "python", "--code", code.toString(), "--handler", "app.main"),
                "app.py is not in the code archive");

        Path wrapped = dir.resolve("wrapped.zip");
        Files.write(wrapped, zip("myfn/handler.py", "def main(e, c): return 1"));
        assertUsage(
                deployRuntime(
                        "--runtime",
                        "python",
                        "--code",
                        wrapped.toString(),
                        "--handler",
                        "handler.main"),
                "the archive has myfn/handler.py: zip the folder's contents, not the folder");
    }

    @Test
    void aZipOverTheLimitIsRefusedBeforeItIsRead() throws IOException {
        Path big = dir.resolve("big.zip");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(CodeArchive.MAX_BYTES + 1); // sparse: nothing is written
        }

        assertUsage(
                deployRuntime(
                        "--runtime", "nodejs", "--code", big.toString(), "--handler", "i.handler"),
                "the code archive is 64.0 MiB zipped, over the limit of 64 MiB");
    }

    @Test
    void aValidFolderOrZipGetsAsFarAsTheServer() throws IOException {
        Path code = folder("src/app.js", "exports.main = () => 1;");
        Run folder =
                deployRuntime(
                        "--runtime",
                        "nodejs",
                        "--code",
                        code.toString(),
                        "--handler",
                        "src/app.main",
                        "--no-export-check");
        Path zip = dir.resolve("py.zip");
        Files.write(zip, zip("pkg/orders.py", "def main(e, c): return 1"));
        Run archive =
                deployRuntime(
                        "--runtime",
                        "python",
                        "--code",
                        zip.toString(),
                        "--handler",
                        "pkg.orders.main",
                        "--no-export-check");
        Run missing =
                deployRuntime(
                        "--runtime",
                        "python",
                        "--code",
                        dir.resolve("nope").toString(),
                        "--handler",
                        "h.main");

        assertThat(folder.err).contains("no Flowfn server found");
        assertThat(archive.err).contains("no Flowfn server found");
        assertThat(missing.exit).isEqualTo(1);
        assertThat(missing.err).contains("no code at").contains("the function's folder or a .zip");
    }

    private static byte[] zip(String name, String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry(name));
            zip.write(text.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "local",
                "server",
                "submit",
                "scale",
                "init",
                "deploy",
                "invoke",
                "result",
                "list",
                "describe",
                "delete",
                "keys",
                "logs",
                "usage",
                "alerts",
                "versions",
                "alias",
                "alias set",
                "rollback"
            })
    void everyCommandHasHelp(String command) {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Run help = run(args.toArray(String[]::new));
        assertThat(help.exit).isZero();
        assertThat(help.out).contains("Usage: flowfn " + command);
    }

    @Test
    void aliasesAreCheckedBeforeAnythingIsSent() {
        Run latest = run("alias", "set", "fn", "latest", "1", "--data-dir", dir.toString());
        assertThat(latest.exit).isEqualTo(2);
        assertThat(latest.err).contains("not be 'latest'");

        Run twice = run("alias", "set", "fn", "prod", "1", "--version", "2");
        assertThat(twice.exit).isNotZero();
        assertThat(twice.err).contains("say once which version alias prod points at");

        Run weight = run("alias", "set", "fn", "prod", "1", "--weight", "ten");
        assertThat(weight.exit).isNotZero();
        assertThat(weight.err).contains("is not VERSION=PERCENT, e.g. --weight 4=10");

        // --version names the version here (it is not the platform's version)
        Run asOption =
                run("alias", "set", "fn", "prod", "--version", "1", "--data-dir", dir.toString());
        assertThat(asOption.err).contains("no Flowfn server found");
    }

    @ParameterizedTest
    @ValueSource(strings = {"nosuchcommand --help", "aliases set x y --version 1", "lst"})
    void anUnknownCommandIsAnErrorThatListsTheCommands(String line) {
        Run r = run(line.split(" "));
        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err)
                .startsWith("error: unknown command '" + line.split(" ")[0] + "'")
                .contains("deploy, invoke");
        assertThat(r.out).isEmpty();
    }

    @Test
    void everyHelpPrintsWithoutPicocliWarnings() {
        // picocli formats help texts with String.format: a lone '%' makes it warn on stderr
        List<CommandLine> commands = new ArrayList<>();
        collect(FlowfnCli.commandLine(), commands);
        assertThat(commands).hasSizeGreaterThan(12);
        PrintStream original = System.err;
        ByteArrayOutputStream warnings = new ByteArrayOutputStream();
        System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
        try {
            for (CommandLine command : commands) {
                command.usage(new PrintWriter(new StringWriter()));
            }
        } finally {
            System.setErr(original);
        }
        assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    private static void collect(CommandLine command, List<CommandLine> all) {
        all.add(command);
        command.getSubcommands().values().forEach(sub -> collect(sub, all));
    }
}
