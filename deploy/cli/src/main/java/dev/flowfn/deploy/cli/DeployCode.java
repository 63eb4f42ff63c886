package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.CodeArchive;
import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpecRules;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The code a {@code flowfn deploy} uploads for its runtime: a jar ({@code --jar}: java,
 * java-embedded), a code archive ({@code --code DIR|ZIP}: nodejs, python; a folder is zipped by
 * {@link CodeFolder}, then checked as the server will by {@link CodeArchive}, then the handler's
 * export by {@link ExportCheck}), or none ({@code --url}: http). Every check runs before anything
 * is uploaded.
 */
final class DeployCode {

    /** The code to upload: what to call the file, its bytes, and how to name it to the user. */
    record Upload(String fileName, byte[] bytes, String what) {}

    private final FunctionRuntime chosen;
    private final Path jar;
    private final Path code;
    private final String url;
    private final String handler;

    DeployCode(FunctionRuntime chosen, Path jar, Path code, String url, String handler) {
        this.chosen = chosen;
        this.jar = jar;
        this.code = code;
        this.url = url;
        this.handler = handler;
    }

    /**
     * The checked code to upload, or null for an http function.
     *
     * @param env the function's --env, which the export check loads the module with
     * @param exportCheck whether to load the handler's file with node or python3 (where there is
     *     one) to check its export
     * @param err where a warning goes
     */
    Upload prepare(Map<String, String> env, boolean exportCheck, PrintWriter err)
            throws IOException {
        return switch (chosen.code()) {
            case JAR -> jar();
            case ARCHIVE -> archive(env, exportCheck, err);
            case URL -> null;
        };
    }

    /**
     * --jar, --code and --url each go with their runtimes, and every runtime but http needs a
     * handler.
     *
     * @throws UsageException naming the fix
     */
    void checkOptions() {
        String given = "--runtime " + chosen.id();
        switch (chosen.code()) {
            case JAR -> {
                if (code != null) {
                    throw new UsageException(
                            "--code is for nodejs and python functions; a "
                                    + chosen.id()
                                    + " function's code is a jar: give --jar FILE (or add --runtime"
                                    + " nodejs or --runtime python)");
                }
                refuseUrl(given);
                if (jar == null) {
                    throw new UsageException(
                            "a "
                                    + chosen.id()
                                    + " function needs --jar FILE, its jar (built with mvn package);"
                                    + " a nodejs or python function takes --runtime R --code DIR|ZIP");
                }
            }
            case ARCHIVE -> {
                if (jar != null) {
                    throw new UsageException(
                            "--jar is for java and java-embedded functions; a "
                                    + chosen.id()
                                    + " function's code is --code DIR|ZIP (its folder, which"
                                    + " flowfn zips, or a .zip of it)");
                }
                refuseUrl(given);
                if (code == null) {
                    throw new UsageException(
                            "a "
                                    + chosen.id()
                                    + " function needs --code DIR|ZIP: its folder (flowfn zips it)"
                                    + " or a .zip of it");
                }
            }
            case URL -> {
                if (jar != null || code != null) {
                    throw new UsageException(
                            "an http function has no code to upload (the server at --url runs it);"
                                    + " leave out "
                                    + (jar != null ? "--jar" : "--code"));
                }
                if (url == null) {
                    throw new UsageException(
                            "an http function needs --url URL, where it is served, e.g. --url"
                                    + " https://orders.example/flowfn");
                }
            }
        }
        if (handler == null && chosen != FunctionRuntime.HTTP) {
            throw new UsageException(
                    "missing --handler; e.g. "
                            + switch (chosen) {
                                case NODEJS ->
                                        "--handler index.handler (the export handler of"
                                                + " index.js)";
                                case PYTHON ->
                                        "--handler handler.main (def main(event, context) in"
                                                + " handler.py)";
                                default ->
                                        "--handler acme.Upper (a class implementing"
                                                + " dev.flowfn.api.Handler)";
                            });
        }
    }

    private void refuseUrl(String given) {
        if (url != null) {
            throw new UsageException(
                    "--url is for --runtime http (a function served by someone else), not "
                            + given
                            + "; leave it out");
        }
    }

    private Upload jar() throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new CliException(
                    "no jar at "
                            + jar
                            + "; build it first (e.g. mvn -q package in the function's folder)");
        }
        return new Upload(
                jar.getFileName().toString(),
                Files.readAllBytes(jar),
                jar.getFileName().toString());
    }

    /** The zip of --code, checked as the server will, and its export, where node or python3 is. */
    private Upload archive(Map<String, String> envMap, boolean exportCheck, PrintWriter err)
            throws IOException {
        Upload upload;
        if (Files.isDirectory(code)) {
            CodeFolder.Zipped zipped = CodeFolder.zip(code);
            String folder =
                    code.toAbsolutePath().normalize().getFileName() == null
                            ? "code"
                            : code.toAbsolutePath().normalize().getFileName().toString();
            upload =
                    new Upload(
                            folder + ".zip",
                            zipped.bytes(),
                            code + " (" + zipped.files() + " files, zipped)");
        } else if (Files.isRegularFile(code)) {
            CodeArchive.checkSize(Files.size(code));
            upload =
                    new Upload(
                            code.getFileName().toString(),
                            Files.readAllBytes(code),
                            code.getFileName().toString());
        } else {
            throw new CliException(
                    "no code at " + code + "; give --code the function's folder or a .zip of it");
        }
        CodeArchive.check(upload.bytes(), chosen, handler);
        if (exportCheck) {
            checkExport(upload.bytes(), envMap, err);
        }
        return upload;
    }

    private void checkExport(byte[] zip, Map<String, String> envMap, PrintWriter err)
            throws IOException {
        Path dir = Files.isDirectory(code) ? code : null;
        Path unpacked = null;
        try {
            if (dir == null) {
                unpacked = Files.createTempDirectory("flowfn-code-");
                CodeFolder.unzip(zip, unpacked);
                dir = unpacked;
            }
            Optional<ExportCheck.Result> result = ExportCheck.run(chosen, dir, handler, envMap);
            if (result.isEmpty()) {
                return; // no node / python3 here: the static check above is all
            }
            String file = FunctionSpecRules.handlerFile(chosen, handler);
            String export = handler.substring(handler.lastIndexOf('.') + 1);
            switch (result.get().outcome()) {
                case FOUND -> {}
                case MISSING ->
                        throw new UsageException(
                                file
                                        + " has no function '"
                                        + export
                                        + "'; check --handler"
                                        + (result.get().detail().isEmpty()
                                                ? ""
                                                : " (its functions: "
                                                        + result.get().detail()
                                                        + ")"));
                case UNKNOWN ->
                        err.println(
                                "warning: could not check that "
                                        + file
                                        + " exports '"
                                        + export
                                        + "' ("
                                        + result.get().detail()
                                        + "); deploying anyway (--no-export-check skips the check)");
            }
        } finally {
            if (unpacked != null) {
                deleteTree(unpacked);
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
