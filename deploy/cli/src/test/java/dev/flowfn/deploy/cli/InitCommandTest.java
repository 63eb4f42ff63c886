package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What {@code flowfn init} writes and refuses (InitCommandIT runs the scaffolds' tests). */
class InitCommandTest {

    @TempDir Path dir;

    private record Run(int exit, String out, String err) {}

    /** On the client class path, as ./flowfn starts it. */
    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit =
                FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true), true);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void aJavaFunctionIsAMavenProjectNamedAfterIt() throws IOException {
        Path target = dir.resolve("fn");

        Run r = run("init", "my-fn", "--dir", target.toString());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(files(target))
                .containsExactlyInAnyOrder(
                        ".gitignore",
                        "README.md",
                        "pom.xml",
                        "src/main/java/com/example/myfn/MyFn.java",
                        "src/test/java/com/example/myfn/MyFnTest.java");
        assertThat(target.resolve("pom.xml"))
                .content()
                .contains("<artifactId>my-fn</artifactId>")
                .contains("<flowfn.version>" + InitCommand.FLOWFN_VERSION + "</flowfn.version>")
                .contains("<artifactId>functions-api</artifactId>");
        assertThat(target.resolve("src/main/java/com/example/myfn/MyFn.java"))
                .content()
                .contains("package com.example.myfn;")
                .contains("public final class MyFn implements Handler");
        assertThat(r.out)
                .contains("Created the java function my-fn in " + target)
                .contains("Handler: com.example.myfn.MyFn")
                .contains("Test it:    cd " + target + " && mvn -q test")
                .contains(
                        "flowfn deploy --name my-fn --runtime java --jar "
                                + target.resolve("target/my-fn.jar")
                                + " --handler com.example.myfn.MyFn");
        assertNoPlaceholders(target);
    }

    @Test
    void aNodejsFunctionCarriesACopyOfTheSdk() throws IOException {
        Path target = dir.resolve("greeter");

        Run r = run("init", "--runtime", "nodejs", "greeter", "--dir", target.toString());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(files(target))
                .contains(
                        "package.json",
                        "index.js",
                        "test/index.test.js",
                        "README.md",
                        "node_modules/@flowfn/sdk/package.json",
                        "node_modules/@flowfn/sdk/lib/testing.js")
                .noneMatch(f -> f.startsWith("node_modules/@flowfn/sdk/test/"));
        assertThat(target.resolve("package.json"))
                .content()
                .contains("\"name\": \"greeter\"")
                .contains("\"@flowfn/sdk\": \"file:/")
                .contains("\"test\": \"node --test\"");
        assertThat(r.out)
                .contains("Handler: index.handler")
                .contains("Test it:    cd " + target + " && node --test")
                .contains(
                        "Deploy it:  flowfn deploy --name greeter --runtime nodejs --code "
                                + target
                                + " --handler index.handler");
        assertNoPlaceholders(target);
    }

    @Test
    void aPythonFunctionsTestFindsTheSdkOnPythonPath() throws IOException {
        Path target = dir.resolve("orders");

        Run r = run("init", "--runtime", "python", "orders", "--dir", target.toString());

        assertThat(r.exit).as(r.err).isZero();
        assertThat(files(target))
                .containsExactlyInAnyOrder(
                        ".gitignore",
                        "README.md",
                        "handler.py",
                        "requirements.txt",
                        "test_handler.py");
        assertThat(r.out)
                .containsPattern("Test it: +cd " + Pattern.quote(target.toString()))
                .containsPattern("PYTHONPATH=/\\S+/sdk/python/src python3 -m unittest")
                .contains(
                        "flowfn deploy --name orders --runtime python --code "
                                + target
                                + " --handler handler.main");
        assertNoPlaceholders(target);
    }

    @Test
    void anExistingNonEmptyFolderIsRefusedAndLeftAlone() throws IOException {
        Path target = Files.createDirectories(dir.resolve("taken"));
        Files.writeString(target.resolve("notes.txt"), "mine");
        Files.createDirectories(dir.resolve("empty"));

        Run taken = run("init", "fn", "--dir", target.toString());
        Run empty = run("init", "fn", "--dir", dir.resolve("empty").toString());
        Run file = run("init", "fn", "--dir", target.resolve("notes.txt").toString());

        assertThat(taken.exit).isEqualTo(2);
        assertThat(taken.err).contains(target + " is not empty; give a new folder with --dir");
        assertThat(files(target)).containsExactly("notes.txt");
        assertThat(empty.exit).isZero();
        assertThat(file.exit).isEqualTo(2);
        assertThat(file.err).contains("is a file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"My Func", "9lives", "a_b"})
    void aBadNameIsAUsageErrorAsForDeploy(String name) {
        Run r = run("init", name, "--dir", dir.resolve("x").toString());

        assertThat(r.exit).isEqualTo(2);
        assertThat(r.err).contains("function name '" + name + "' must match");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void aRuntimeInitDoesNotMakeIsAUsageErrorThatSaysWhatItMakes() {
        Run ruby = run("init", "--runtime", "ruby", "fn", "--dir", dir.resolve("a").toString());
        Run http = run("init", "--runtime", "http", "fn", "--dir", dir.resolve("b").toString());
        Run embedded =
                run(
                        "init",
                        "--runtime",
                        "java-embedded",
                        "fn",
                        "--dir",
                        dir.resolve("c").toString());

        assertThat(ruby.exit).isEqualTo(2);
        assertThat(ruby.err)
                .contains("runtime 'ruby' is not one init makes: java, nodejs or python");
        assertThat(http.err).contains("deploy it with --runtime http --url URL");
        assertThat(embedded.err).contains("use --runtime java, and deploy it with --runtime");
        assertThat(dir.resolve("a")).doesNotExist();
    }

    @Test
    void theJavaScaffoldUsesTheBuildsVersions() throws IOException {
        Path pom = SdkHome.find().orElseThrow().home().resolve("pom.xml");
        String text = Files.readString(pom);

        assertThat(InitCommand.FLOWFN_VERSION).isEqualTo(first(text, "<version>([^<]+)</version>"));
        assertThat(InitCommand.JUNIT_VERSION)
                .isEqualTo(first(text, "<junit.version>([^<]+)</junit.version>"));
    }

    private static String first(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    private static List<String> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile)
                    .map(p -> root.relativize(p).toString())
                    .sorted()
                    .toList();
        }
    }

    private static void assertNoPlaceholders(Path root) throws IOException {
        for (String file : files(root)) {
            if (file.startsWith("node_modules/")) {
                continue; // the SDK's copy, not a template
            }
            assertThat(root.resolve(file)).content().as(file).doesNotContain("{{");
        }
    }
}
