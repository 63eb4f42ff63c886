package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

    @ParameterizedTest
    @ValueSource(
            strings = {
                "local",
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
