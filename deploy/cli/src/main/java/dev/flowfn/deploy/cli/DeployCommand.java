package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.TriggerSpecs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
            "Upload a function's jar and bind it to triggers. Deploying an existing name makes a new version;"
                    + " the running job switches to it without a restart.",
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
            names = "--jar",
            required = true,
            paramLabel = "FILE",
            description = "The function's jar")
    Path jar;

    @Option(
            names = "--handler",
            required = true,
            paramLabel = "CLASS",
            description = "Fully qualified class implementing dev.flowfn.api.Handler")
    String handler;

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

    @Override
    public Integer call() throws IOException {
        // Check here first: a mistake shows before anything is uploaded.
        FunctionSpecRules.name(name);
        FunctionSpecRules.handler(handler);
        FunctionSpecRules.memoryMb(memory);
        FunctionSpecRules.timeout(FunctionSpecRules.parseDuration(timeout));
        FunctionSpecRules.concurrency(concurrency);
        FunctionSpecRules.attempts(retries + 1);
        List<dev.flowfn.schemas.Trigger> parsed =
                triggers.stream().map(TriggerSpecs::parse).toList();
        List<String> outputLocations =
                outputs.stream().map(dev.flowfn.deploy.control.OutputLocations::parse).toList();
        List<String> warned =
                dev.flowfn.deploy.control.OutputLocations.loopWarnings(parsed, outputLocations);
        for (String warning : warned) {
            err().println("warning: " + warning);
        }
        alerts.forEach(dev.flowfn.schemas.AlertRule::parse);
        Map<String, String> envMap = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new CliException("--env '" + kv + "' is not K=V, e.g. --env THUMB_SIZE=200");
            }
            envMap.put(FunctionSpecRules.envName(kv.substring(0, eq)), kv.substring(eq + 1));
        }
        if (!Files.isRegularFile(jar)) {
            throw new CliException(
                    "no jar at "
                            + jar
                            + "; build it first (e.g. mvn -q package in the function's folder)");
        }
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
                        alias == null ? null : FunctionSpecRules.alias(alias),
                        keep);
        byte[] bytes = Files.readAllBytes(jar);
        err().printf("Uploading %s (%,d bytes)...%n", jar.getFileName(), bytes.length);
        FunctionView deployed = server.client().deploy(spec, jar.getFileName().toString(), bytes);
        out().println(
                        "Deployed "
                                + deployed.name()
                                + " version "
                                + deployed.version()
                                + " (sha256 "
                                + String.valueOf(deployed.codeSha256()).substring(0, 12)
                                + "...)"
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
}
