package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.OutputLocations;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.Trigger;
import dev.flowfn.schemas.TriggerSpecs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {
            "Upload a function's code and bind it to triggers. Deploying an existing name makes a new version;"
                    + " the running job switches to it without a restart.",
            "Runtimes (--runtime): java (the default: the handler class runs in worker JVMs of its own) and"
                    + " java-embedded (inside the job's TaskManagers) take --jar FILE; nodejs and python take"
                    + " --code DIR|ZIP, the function's folder (zipped for you, without .git, __pycache__ and"
                    + " .DS_Store) or a .zip of it, with its dependencies inside (npm install first; pip"
                    + " install -t .deps -r requirements.txt); http takes --url URL, a function served by"
                    + " someone else (runtime protocol over HTTP), and no code or handler.",
            "Before anything is uploaded, deploy checks the options, the code (at most 64 MiB zipped) and"
                    + " that the handler's file is in it; for nodejs and python it also loads the file with"
                    + " node or python3 from the PATH, when there is one, in a child process in the code"
                    + " folder (your --env set, at most 10 s) and refuses a handler its file does not"
                    + " export. A module that cannot load there only gets a warning;"
                    + " --no-export-check skips this.",
            "Trigger specs: kafka:topic=T; http:route=/u/{user},methods=GET|POST,auth=anonymous|key;"
                    + " s3:bucket=B[,prefix=P][,suffix=S][,events=put|delete]."
                    + " A function without triggers can still be called with 'flowfn invoke'.",
            "Handlers see the platform's object store in context.env(): FLOWFN_S3_ENDPOINT,"
                    + " FLOWFN_S3_ACCESS_KEY, FLOWFN_S3_SECRET_KEY (an --env of the same name wins)."
        })
final class DeployCommand extends CliCommand implements Callable<Integer> {

    @Mixin ServerOptions server;

    @Option(
            names = "--name",
            required = true,
            description = "Function name: lower case letters, digits, '-'")
    String name;

    @Option(
            names = "--runtime",
            paramLabel = "RUNTIME",
            defaultValue = "java",
            completionCandidates = Runtimes.class,
            description = "java, java-embedded, nodejs, python or http; default ${DEFAULT-VALUE}")
    String runtime;

    @Option(
            names = "--jar",
            paramLabel = "FILE",
            description = "The function's jar (runtimes java, java-embedded)")
    Path jar;

    @Option(
            names = "--code",
            paramLabel = "DIR|ZIP",
            description =
                    "The function's folder or a .zip of it, its dependencies included (runtimes nodejs,"
                            + " python)")
    Path code;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description =
                    "Where the function is served, http(s) (runtime http); shown by describe, so"
                            + " no secrets in it")
    String url;

    @Option(
            names = "--handler",
            paramLabel = "HANDLER",
            description =
                    "java: a class implementing dev.flowfn.api.Handler (e.g. acme.Upper); nodejs:"
                            + " FILE.EXPORT (index.handler is the export handler of index.js,"
                            + " src/app.main of src/app.js); python: module.function (handler.main,"
                            + " pkg.orders.main); http: none")
    String handler;

    @Option(
            names = "--no-export-check",
            description =
                    "nodejs, python: do not load the handler's file with node or python3 to check"
                            + " its export")
    boolean noExportCheck;

    @Option(
            names = "--memory",
            paramLabel = "MB",
            defaultValue = "256",
            description = "Memory in MB; default ${DEFAULT-VALUE}")
    int memory;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "30s",
            description = "Per attempt, e.g. 500ms, 5s, 10m; default ${DEFAULT-VALUE}")
    String timeout;

    @Option(
            names = "--concurrency",
            defaultValue = "16",
            description = "Invocations at once per instance; default ${DEFAULT-VALUE}")
    int concurrency;

    @Option(
            names = "--retries",
            defaultValue = "2",
            description = "Retries after a failed attempt; default ${DEFAULT-VALUE}")
    int retries;

    @Option(
            names = "--trigger",
            paramLabel = "SPEC",
            description =
                    "e.g. kafka:topic=words or 'http:route=/u/{user},methods=GET,auth=anonymous' (repeatable)")
    List<String> triggers = new ArrayList<>();

    @Option(
            names = "--env",
            paramLabel = "K=V",
            description = "Environment variable for the handler (repeatable)")
    List<String> env = new ArrayList<>();

    @Option(
            names = "--alert",
            paramLabel = "RULE",
            description =
                    "Alert rule METRIC>THRESHOLD/PERIOD: error-rate, errors, p99, throttles, dead-letters, invocations;"
                            + " e.g. 'error-rate>5%%/5m', 'p99>2s/5m', 'invocations<1/10m' (repeatable)")
    List<String> alerts = new ArrayList<>();

    @Option(
            names = "--output",
            paramLabel = "s3://BUCKET/PREFIX/",
            description =
                    "Where the function writes, e.g. s3://photos/thumbs/ (repeatable); deploy warns"
                            + " when one of its s3 triggers would fire on those writes (a loop)")
    List<String> outputs = new ArrayList<>();

    @Option(
            names = "--alert-webhook",
            paramLabel = "URL",
            description = "Where alerts are POSTed as JSON (with retries)")
    String alertWebhook;

    @Option(
            names = "--alias",
            paramLabel = "ALIAS",
            description =
                    "Point this alias (e.g. prod) at the new version in the same step; 'flowfn"
                            + " rollback NAME --alias ALIAS' moves it back")
    String alias;

    @Option(
            names = "--keep",
            paramLabel = "N",
            description =
                    "How many versions to keep, newest first (default 10); versions an alias uses"
                            + " are always kept")
    Integer keep;

    /** The runtime names, for completion. */
    static final class Runtimes implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(FunctionRuntime.values()).map(FunctionRuntime::id).iterator();
        }
    }

    @Override
    public Integer call() throws IOException {
        // Check here first: a mistake shows before anything is uploaded.
        FunctionSpecRules.name(name);
        FunctionRuntime chosen = FunctionSpecRules.runtime(runtime);
        DeployCode deployCode = new DeployCode(chosen, jar, code, url, handler);
        deployCode.checkOptions();
        FunctionSpecRules.handler(chosen, handler);
        if (chosen == FunctionRuntime.HTTP) {
            FunctionSpecRules.functionUrl(url);
        }
        FunctionSpecRules.memoryMb(memory);
        FunctionSpecRules.timeout(FunctionSpecRules.parseDuration(timeout));
        FunctionSpecRules.concurrency(concurrency);
        FunctionSpecRules.attempts(retries + 1);
        List<Trigger> parsed = triggers.stream().map(TriggerSpecs::parse).toList();
        List<String> outputLocations = outputs.stream().map(OutputLocations::parse).toList();
        List<String> warned = OutputLocations.loopWarnings(parsed, outputLocations);
        for (String warning : warned) {
            err().println("warning: " + warning);
        }
        alerts.forEach(AlertRule::parse);
        String aliasName = alias == null ? null : FunctionSpecRules.alias(alias);
        Map<String, String> envMap = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--env '" + kv + "' is not K=V, e.g. --env THUMB_SIZE=200");
            }
            envMap.put(FunctionSpecRules.envName(kv.substring(0, eq)), kv.substring(eq + 1));
        }
        DeployCode.Upload upload = deployCode.prepare(envMap, !noExportCheck, err());
        DeployRequest spec =
                new DeployRequest(
                        name,
                        handler,
                        memory,
                        timeout,
                        concurrency,
                        retries,
                        triggers,
                        envMap,
                        alerts,
                        alertWebhook,
                        outputLocations,
                        aliasName,
                        keep,
                        chosen.id(),
                        chosen == FunctionRuntime.HTTP ? url.trim() : null);
        FunctionView deployed;
        if (upload == null) {
            deployed = server.client().deployWithoutCode(spec);
        } else {
            err().printf("Uploading %s (%,d bytes)...%n", upload.what(), upload.bytes().length);
            UploadProgress progress = new UploadProgress(err());
            deployed =
                    chosen.code() == FunctionRuntime.Code.JAR
                            ? server.client()
                                    .deploy(spec, upload.fileName(), upload.bytes(), progress)
                            : server.client()
                                    .deployArchive(
                                            spec, upload.fileName(), upload.bytes(), progress);
        }
        out().println(
                        "Deployed "
                                + deployed.name()
                                + " version "
                                + deployed.version()
                                + " ("
                                + deployed.runtime()
                                + ", "
                                + code(deployed)
                                + ")"
                                + (triggers.isEmpty()
                                        ? "; no triggers: call it with 'flowfn invoke " + name + "'"
                                        : "; triggers: " + String.join(", ", triggers)));
        if (alias != null) {
            out().println("Alias " + alias + " -> version " + deployed.version());
        }
        List<String> schemas = deployed.schemas();
        if (schemas != null && !schemas.isEmpty()) {
            out().println(
                            "Published its Avro schemas to flowfn.schemas (flowfn tail decodes them): "
                                    + schemas.stream()
                                            .map(String::valueOf)
                                            .collect(Collectors.joining(", ")));
        }
        if (deployed.warnings() != null) {
            for (String warning : deployed.warnings()) { // those only the server can see
                if (!warned.contains(warning)) {
                    err().println("warning: " + warning);
                }
            }
        }
        return 0;
    }

    /** The sha256 of the deployed code, or the URL it is served at. */
    static String code(FunctionView deployed) {
        String sha = deployed.codeSha256() == null ? "" : deployed.codeSha256();
        return sha.isEmpty()
                ? String.valueOf(deployed.codeUri())
                : "sha256 " + sha.substring(0, Math.min(12, sha.length())) + "...";
    }
}
