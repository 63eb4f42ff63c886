package dev.flowfn.deploy.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpecRules;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Whether a {@code nodejs} or {@code python} handler's file exports its function, found by loading
 * it as the worker would, in a child process ({@code node} or {@code python3} from the PATH) in the
 * code folder, with the function's {@code --env} over this environment, for at most {@link
 * #TIMEOUT}. Loading runs the module's top-level code, so a module that cannot load here (it needs
 * a service, or the platform's environment) is not a verdict: {@link Outcome#UNKNOWN}, and the
 * deploy goes on.
 *
 * <p>Python modules see the SDK ({@code import flowfn}) as the worker's do, from the Flowfn home;
 * Node.js modules require {@code @flowfn/sdk} from their own {@code node_modules}, as on the
 * platform. No bytecode is written into the folder ({@code python3 -B}).
 */
final class ExportCheck {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private static final String MARK = "@@flowfn-export-check ";
    private static final ObjectMapper JSON = new ObjectMapper();

    enum Outcome {
        FOUND,
        MISSING,
        UNKNOWN
    }

    /**
     * @param detail for MISSING, the functions the module does export; for UNKNOWN, why not
     */
    record Result(Outcome outcome, String detail) {}

    // as sdk/nodejs/lib/load.js loads it: require, or import for an ES module
    private static final String NODE_SCRIPT =
            """
            const { pathToFileURL } = require('node:url');
            const [file, name] = process.argv.slice(1);
            const say = (s) => { process.stdout.write('\\n%1$s' + s + '\\n', () => process.exit(0)); };
            (async () => {
              let m;
              try { m = require(file); } catch (e) {
                if (e && e.code === 'ERR_REQUIRE_ESM') m = await import(pathToFileURL(file).href);
                else throw e;
              }
              if (m != null && typeof m[name] === 'function') return say('found');
              const names = m == null ? [] : Object.keys(m).filter((k) => typeof m[k] === 'function');
              say('missing ' + JSON.stringify(names.join(', ')));
            })().catch((e) => say('threw ' + JSON.stringify(e instanceof Error ? e.name + ': ' + e.message : String(e))));
            """
                    .formatted(MARK);

    // as sdk/python/src/flowfn/_loader.py loads it
    private static final String PYTHON_SCRIPT =
            """
            import importlib.util, json, os, sys
            code_dir, module_name, attr = sys.argv[1:4]
            def say(s):
                sys.stdout.write('\\n%1$s' + s + '\\n'); sys.stdout.flush(); os._exit(0)
            extra = [d for d in (os.path.join(code_dir, '.deps'), os.path.join(code_dir, 'site-packages')) if os.path.isdir(d)]
            for d in reversed([code_dir] + extra):
                sys.path.insert(0, d)
            try:
                spec = importlib.util.spec_from_file_location(module_name, os.path.join(code_dir, module_name.replace('.', '/') + '.py'))
                module = importlib.util.module_from_spec(spec)
                sys.modules[module_name] = module
                spec.loader.exec_module(module)
            except BaseException as e:
                say('threw ' + json.dumps(type(e).__name__ + ': ' + str(e)))
            if callable(getattr(module, attr, None)):
                say('found')
            names = [k for k, v in vars(module).items() if callable(v) and not k.startswith('_') and getattr(v, '__module__', None) == module_name]
            say('missing ' + json.dumps(', '.join(names)))
            """
                    .formatted(MARK);

    /**
     * Loads {@code handler} from {@code codeDir}; empty when there is no {@code node} / {@code
     * python3} on the PATH.
     */
    static Optional<Result> run(
            FunctionRuntime runtime, Path codeDir, String handler, Map<String, String> env)
            throws IOException {
        String program = runtime == FunctionRuntime.NODEJS ? "node" : "python3";
        Optional<Path> executable = onPath(program);
        if (executable.isEmpty()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of(executable.get().toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(codeDir.toFile());
        String file = FunctionSpecRules.handlerFile(runtime, handler);
        String export = handler.substring(handler.lastIndexOf('.') + 1);
        if (runtime == FunctionRuntime.NODEJS) {
            command.addAll(
                    List.of(
                            "-e",
                            NODE_SCRIPT,
                            codeDir.resolve(file).toAbsolutePath().toString(),
                            export));
        } else {
            String module = handler.substring(0, handler.lastIndexOf('.'));
            command.addAll(
                    List.of(
                            "-B",
                            "-c",
                            PYTHON_SCRIPT,
                            codeDir.toAbsolutePath().toString(),
                            module,
                            export));
            SdkHome.find()
                    .flatMap(SdkHome::python)
                    .ifPresent(
                            sdk ->
                                    builder.environment()
                                            .merge(
                                                    "PYTHONPATH",
                                                    sdk.toString(),
                                                    (old, sdkPath) ->
                                                            old + File.pathSeparator + sdkPath));
        }
        builder.command(command);
        builder.environment().putAll(env);
        return Optional.of(run(builder, file));
    }

    private static Result run(ProcessBuilder builder, String file) throws IOException {
        Path out = Files.createTempFile("flowfn-export-check-", ".out");
        try {
            builder.redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process = builder.start();
            boolean done;
            try {
                done = process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                return new Result(
                        Outcome.UNKNOWN,
                        "loading " + file + " took over " + TIMEOUT.toSeconds() + " s");
            }
            return parse(Files.readString(out, StandardCharsets.UTF_8), file);
        } finally {
            Files.deleteIfExists(out);
        }
    }

    static Result parse(String output, String file) throws IOException {
        int at = output.lastIndexOf(MARK);
        if (at < 0) {
            return new Result(Outcome.UNKNOWN, "loading " + file + " exited without an answer");
        }
        String answer = output.substring(at + MARK.length()).strip();
        if (answer.equals("found")) {
            return new Result(Outcome.FOUND, "");
        }
        if (answer.startsWith("missing ")) {
            return new Result(Outcome.MISSING, JSON.readValue(answer.substring(8), String.class));
        }
        String why =
                answer.startsWith("threw ")
                        ? JSON.readValue(answer.substring(6), String.class)
                        : answer;
        return new Result(Outcome.UNKNOWN, file + " threw while loading: " + why);
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, program);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private ExportCheck() {}
}
