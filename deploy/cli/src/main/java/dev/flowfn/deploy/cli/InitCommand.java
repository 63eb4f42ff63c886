package dev.flowfn.deploy.cli;

import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flowfn init}: a new function folder with a handler that greets, a passing test, and the
 * commands to test and deploy it. The templates are resources under {@code init/<runtime>/}; the
 * SDKs come from the Flowfn home ({@link SdkHome}).
 */
@Command(
        name = "init",
        mixinStandardHelpOptions = true,
        description = {
            "Create a new function: a handler, a passing test, and the commands to test and deploy"
                    + " it (printed, and in its README.md).",
            "java: a Maven project (pom.xml, src/main/java, src/test/java) compiling against"
                    + " dev.flowfn:functions-api, which ./flowfn puts in your local Maven repository"
                    + " when it builds (or, in the Flowfn checkout: mvn -q install -pl functions-api"
                    + " -am); test with mvn -q test.",
            "nodejs: package.json, index.js (handler index.handler) and test/index.test.js, with"
                    + " a copy of the SDK (@flowfn/sdk, from the Flowfn checkout) in node_modules, so"
                    + " node --test passes at once and deploy --code ships it.",
            "python: handler.py (handler handler.main), test_handler.py and requirements.txt; the"
                    + " test imports flowfn.testing from the Flowfn checkout: PYTHONPATH=<checkout>/"
                    + "sdk/python/src python3 -m unittest."
        })
final class InitCommand extends CliCommand implements Callable<Integer> {

    /**
     * The Flowfn version a java scaffold compiles against (functions-api); {@code InitCommandTest}
     * checks it is the build's.
     */
    static final String FLOWFN_VERSION = "0.1.0-SNAPSHOT";

    /** The JUnit a java scaffold tests with: the build's, so it is in the local repository. */
    static final String JUNIT_VERSION = "5.14.4";

    @Parameters(
            paramLabel = "NAME",
            description = "The function's name: lower case letters, digits, '-' (as for deploy)")
    String name;

    @Option(
            names = "--runtime",
            paramLabel = "RUNTIME",
            defaultValue = "java",
            completionCandidates = Runtimes.class,
            description = "java, nodejs or python; default ${DEFAULT-VALUE}")
    String runtime;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where to create it: a new or empty folder; default ./NAME")
    Path dir;

    /** The runtimes init makes functions for, for completion. */
    static final class Runtimes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("java", "nodejs", "python").iterator();
        }
    }

    /** What a scaffold is made of: files from templates, and how to test it. */
    private record Scaffold(
            String handler, Map<String, String> files, String test, String deploy) {}

    @Override
    public Integer call() throws IOException {
        FunctionSpecRules.name(name);
        FunctionRuntime chosen;
        try {
            chosen = FunctionSpecRules.runtime(runtime);
        } catch (InvalidSpecException e) {
            throw new UsageException(
                    "runtime '" + runtime + "' is not one init makes: java, nodejs or python");
        }
        if (chosen != FunctionRuntime.JAVA
                && chosen != FunctionRuntime.NODEJS
                && chosen != FunctionRuntime.PYTHON) {
            throw new UsageException(
                    "init makes java, nodejs or python functions, not "
                            + chosen
                            + (chosen == FunctionRuntime.JAVA_EMBEDDED
                                    ? "; use --runtime java, and deploy it with --runtime"
                                            + " java-embedded"
                                    : "; an http function is served by you: deploy it with"
                                            + " --runtime http --url URL"));
        }
        Path target = dir == null ? Path.of(name) : dir;
        refuseNonEmpty(target);
        Scaffold scaffold =
                switch (chosen) {
                    case NODEJS -> nodejs(target);
                    case PYTHON -> python(target);
                    default -> java(target);
                };
        Files.createDirectories(target);
        for (Map.Entry<String, String> file : scaffold.files().entrySet()) {
            Path path = target.resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue(), StandardCharsets.UTF_8);
        }
        if (chosen == FunctionRuntime.NODEJS) {
            copySdk(sdk().nodejs().orElseThrow(), target.resolve("node_modules/@flowfn/sdk"));
        }
        out().println("Created the " + chosen + " function " + name + " in " + target + ":");
        for (String file : scaffold.files().keySet()) {
            out().println("  " + file);
        }
        if (chosen == FunctionRuntime.NODEJS) {
            out().println("  node_modules/@flowfn/sdk/  (a copy of the Flowfn SDK)");
        }
        out().println("Handler: " + scaffold.handler());
        out().println("Test it:    " + scaffold.test());
        out().println("Deploy it:  " + scaffold.deploy());
        return 0;
    }

    private Scaffold java(Path target) {
        String pkg = "com.example." + name.replace("-", "");
        StringBuilder type = new StringBuilder();
        for (String part : name.split("-")) {
            if (!part.isEmpty()) {
                type.append(part.substring(0, 1).toUpperCase(Locale.ROOT))
                        .append(part.substring(1));
            }
        }
        String handler = pkg + "." + type;
        Map<String, String> values =
                Map.of(
                        "name", name,
                        "package", pkg,
                        "class", type.toString(),
                        "handler", handler,
                        "flowfnVersion", FLOWFN_VERSION,
                        "junitVersion", JUNIT_VERSION);
        String source = pkg.replace('.', '/') + "/" + type;
        Map<String, String> files = new LinkedHashMap<>();
        files.put("pom.xml", template("java/pom.xml", values));
        files.put("src/main/java/" + source + ".java", template("java/Function.java", values));
        files.put(
                "src/test/java/" + source + "Test.java",
                template("java/FunctionTest.java", values));
        files.put("README.md", template("java/README.md", values));
        files.put(".gitignore", template("java/gitignore", values));
        return new Scaffold(
                handler,
                files,
                "cd " + target + " && mvn -q test",
                "(cd "
                        + target
                        + " && mvn -q package) && flowfn deploy --name "
                        + name
                        + " --runtime java --jar "
                        + target.resolve("target").resolve(name + ".jar")
                        + " --handler "
                        + handler);
    }

    private Scaffold nodejs(Path target) {
        Path sdk = sdk().nodejs().orElseThrow(() -> noSdk("sdk/nodejs"));
        String handler = "index.handler";
        Map<String, String> values =
                Map.of(
                        "name", name,
                        "handler", handler,
                        "nodejsSdk", sdk.toAbsolutePath().normalize().toString());
        Map<String, String> files = new LinkedHashMap<>();
        files.put("package.json", template("nodejs/package.json", values));
        files.put("index.js", template("nodejs/index.js", values));
        files.put("test/index.test.js", template("nodejs/index.test.js", values));
        files.put("README.md", template("nodejs/README.md", values));
        return new Scaffold(
                handler,
                files,
                "cd " + target + " && node --test",
                "flowfn deploy --name "
                        + name
                        + " --runtime nodejs --code "
                        + target
                        + " --handler "
                        + handler);
    }

    private Scaffold python(Path target) {
        Path sdk = sdk().python().orElseThrow(() -> noSdk("sdk/python/src"));
        String handler = "handler.main";
        String pythonPath = sdk.toAbsolutePath().normalize().toString();
        Map<String, String> values =
                Map.of("name", name, "handler", handler, "pythonSdk", pythonPath);
        Map<String, String> files = new LinkedHashMap<>();
        files.put("handler.py", template("python/handler.py", values));
        files.put("test_handler.py", template("python/test_handler.py", values));
        files.put("requirements.txt", template("python/requirements.txt", values));
        files.put("README.md", template("python/README.md", values));
        files.put(".gitignore", template("python/gitignore", values));
        return new Scaffold(
                handler,
                files,
                "cd " + target + " && PYTHONPATH=" + pythonPath + " python3 -m unittest",
                "flowfn deploy --name "
                        + name
                        + " --runtime python --code "
                        + target
                        + " --handler "
                        + handler);
    }

    private static void refuseNonEmpty(Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (Stream<Path> entries = Files.list(target)) {
                if (entries.findAny().isPresent()) {
                    throw new UsageException(
                            target
                                    + " is not empty; give a new folder with --dir, or another"
                                    + " NAME");
                }
            }
        } else if (Files.exists(target)) {
            throw new UsageException(
                    target + " is a file; give a new folder with --dir, or another NAME");
        }
    }

    private static SdkHome sdk() {
        return SdkHome.find().orElseThrow(() -> noSdk("sdk"));
    }

    private static CliException noSdk(String what) {
        return new CliException(
                "cannot find the Flowfn SDK ("
                        + what
                        + " of the Flowfn checkout); run ./flowfn of the checkout, or set"
                        + " FLOWFN_HOME_DIR to it");
    }

    /** The SDK package as npm would install it: package.json, index.js, lib/, bin/, README.md. */
    private static void copySdk(Path sdk, Path into) throws IOException {
        List<Path> sources = new ArrayList<>();
        for (String part : List.of("package.json", "index.js", "README.md", "lib", "bin")) {
            Path source = sdk.resolve(part);
            if (Files.exists(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    walk.filter(Files::isRegularFile).forEach(sources::add);
                }
            }
        }
        for (Path source : sources) {
            Path copy = into.resolve(sdk.relativize(source).toString());
            Files.createDirectories(copy.getParent());
            Files.copy(source, copy);
        }
    }

    /** The template {@code init/<name>.tmpl} with each {@code {{key}}} replaced. */
    static String template(String name, Map<String, String> values) {
        String resource = "init/" + name + ".tmpl";
        try (InputStream in = InitCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("no template " + resource + " on the class path");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> v : values.entrySet()) {
                text = text.replace("{{" + v.getKey() + "}}", v.getValue());
            }
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
