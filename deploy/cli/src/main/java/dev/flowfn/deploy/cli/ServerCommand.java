package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.ControlServer;
import dev.flowfn.deploy.control.ControlSettings;
import dev.flowfn.deploy.local.engines.S3Credentials;
import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.KafkaClientFailure;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code flowfn server}: the control server (REST API) and the HTTP trigger gateway as a service of
 * their own, over an existing Kafka cluster and object store. It keeps no state: run as many
 * replicas as wanted behind a load balancer; each follows the registry, keys and results on Kafka.
 * Options map one to one onto {@link ControlSettings}; secrets come from the environment or a file,
 * never from the command line (where {@code ps} shows them).
 *
 * <p>Threads: the main thread starts the server and waits; a shutdown hook (SIGTERM, SIGINT) closes
 * it.
 */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Run the control server (REST API, /health, /ready, /metrics) and the HTTP trigger gateway"
                    + " as a stateless service over an existing Kafka cluster and S3 store; run as many"
                    + " replicas as wanted behind a load balancer. SIGTERM or Ctrl-C stops it.",
            "Environment: FLOWFN_S3_ACCESS_KEY and FLOWFN_S3_SECRET_KEY (required), FLOWFN_TOKEN"
                    + " (the API token, unless --token-file), FLOWFN_S3_WEBHOOK_TOKEN (optional: the"
                    + " token of POST <gateway>/hooks/s3; without it that answers 503)."
        })
final class ServerCommand extends CliCommand implements Callable<Integer> {

    static final int DEFAULT_PORT = 8080;
    static final int DEFAULT_GATEWAY_PORT = 8090;
    private static final Pattern SIZE =
            Pattern.compile("(\\d{1,12})\\s*(b|kb|k|kib|mb|m|mib|gb|g|gib)?");

    @Mixin KafkaOptions kafka;

    @Mixin S3Options s3;

    @Option(
            names = "--code-bucket",
            paramLabel = "BUCKET",
            defaultValue = ControlSettings.DEFAULT_CODE_BUCKET,
            description = "Bucket of function code; default ${DEFAULT-VALUE}")
    String codeBucket;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = ControlSettings.DEFAULT_HOST,
            description =
                    "Address both servers bind; default ${DEFAULT-VALUE} (0.0.0.0 for every interface)")
    String host;

    @Option(
            names = "--port",
            defaultValue = "" + DEFAULT_PORT,
            description = "Port of the REST API; default ${DEFAULT-VALUE} (0: any free port)")
    int port;

    @Option(
            names = "--gateway-port",
            defaultValue = "" + DEFAULT_GATEWAY_PORT,
            description =
                    "Port of the HTTP trigger gateway; default ${DEFAULT-VALUE} (0: any free port)")
    int gatewayPort;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description = "File holding the API token (instead of $FLOWFN_TOKEN)")
    Path tokenFile;

    @Option(
            names = "--max-body",
            paramLabel = "SIZE",
            defaultValue = "6MB",
            description =
                    "Largest request body the gateway takes (413 above); default ${DEFAULT-VALUE}")
    String maxBody;

    @Option(
            names = "--result-slack",
            paramLabel = "DURATION",
            defaultValue = "15s",
            description =
                    "How much longer than a function's own time a synchronous invoke waits for its"
                            + " committed result; about 3 x the job's checkpoint interval + 10 s;"
                            + " default ${DEFAULT-VALUE}")
    String resultSlack;

    @Option(
            names = "--log-dir",
            paramLabel = "DIR",
            description =
                    "Where flowfn.log goes (default: $FLOWFN_DATA_DIR/logs, else ~/.flowfn/logs)")
    Path logDir; // read by FlowfnCli before logging starts

    @Override
    public Integer call() throws Exception {
        ControlSettings settings = settings(System.getenv());
        PrintWriter out = out();
        out.println(
                "Starting the Flowfn control server on Kafka "
                        + settings.kafka().bootstrapServers());
        ControlServer server;
        try {
            server = ControlServer.start(settings);
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(ServerCommand.class)
                    .error("the control server did not start", e);
            // a login refused or a failed TLS handshake names what to check in the Kafka config
            throw new CliException(
                    "the control server did not start: "
                            + KafkaClientFailure.explain(e, settings.kafka())
                                    .map(m -> m + kafka.source())
                                    .orElse(
                                            e.getMessage()
                                                    + " (check --kafka / --kafka-config and --s3-endpoint, and that the ports are free)"));
        }
        out.println("Control API   " + server.url() + "   (health: /health, readiness: /ready)");
        out.println("Web console   " + server.url() + "/console/   (sign in with the token)");
        out.println("HTTP gateway  " + server.gatewayUrl());
        out.println("Serving; SIGTERM or Ctrl-C stops it.");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(
                        new Thread(
                                () -> {
                                    try {
                                        server.close();
                                        out.println("Stopped.");
                                    } catch (Exception e) {
                                        LoggerFactory.getLogger(ServerCommand.class)
                                                .warn("stopping the control server failed", e);
                                    } finally {
                                        stopped.countDown();
                                    }
                                },
                                "flowfn-server-shutdown"));
        stopped.await();
        return 0;
    }

    /** The settings these options and {@code env} give; a bad or missing value is a usage error. */
    ControlSettings settings(Map<String, String> env) {
        KafkaClientConfig client = kafka.required();
        String s3Endpoint = s3.required();
        S3Credentials keys = S3Options.credentials(env);
        if (!codeBucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new UsageException(
                    "--code-bucket '"
                            + codeBucket
                            + "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
        }
        checkPort("--port", port);
        checkPort("--gateway-port", gatewayPort);
        if (port != 0 && port == gatewayPort) {
            throw new UsageException("--port and --gateway-port must differ (both " + port + ")");
        }
        try {
            return ControlSettings.builder(client, s3Endpoint, token(env))
                    .setS3Credentials(keys.accessKey(), keys.secretKey())
                    .setCodeBucket(codeBucket)
                    .setHost(host)
                    .setPort(port)
                    .setGatewayPort(gatewayPort)
                    .setMaxBodyBytes(parseSize(maxBody))
                    .setResultSlack(duration(resultSlack))
                    .setS3WebhookToken(blankToNull(env.get("FLOWFN_S3_WEBHOOK_TOKEN")))
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private String token(Map<String, String> env) {
        String envToken = blankToNull(env.get("FLOWFN_TOKEN"));
        if (tokenFile != null && envToken != null) {
            throw new UsageException(
                    "give the API token once: FLOWFN_TOKEN or --token-file, not both");
        }
        if (tokenFile == null) {
            if (envToken == null) {
                throw new UsageException(
                        "set FLOWFN_TOKEN or give --token-file FILE: the token API callers must present");
            }
            return envToken;
        }
        try {
            String token = Files.readString(tokenFile).trim();
            if (token.isEmpty()) {
                throw new UsageException(
                        "--token-file " + tokenFile + " is empty; put the API token in it");
            }
            return token;
        } catch (IOException e) {
            throw new UsageException(
                    "cannot read --token-file " + tokenFile + ": " + e.getMessage());
        }
    }

    private static void checkPort(String option, int port) {
        if (port < 0 || port > 65535) {
            throw new UsageException(option + " must be 0 to 65535 (got " + port + ")");
        }
    }

    private static Duration duration(String text) {
        try {
            return FunctionSpecRules.parseDuration(text);
        } catch (InvalidSpecException e) {
            throw new UsageException("--result-slack: " + e.getMessage());
        }
    }

    /** {@code 6MB}, {@code 512KB}, {@code 1048576}: binary units, as the default 6 MB is. */
    static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException(
                    "--max-body must be a positive size like 6MB, 512KB or 1048576 (got '"
                            + text
                            + "')");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).substring(0, 1);
        return switch (unit) {
            case "k" -> n * 1024;
            case "m" -> n * 1024 * 1024;
            case "g" -> n * 1024 * 1024 * 1024;
            default -> n;
        };
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static String blankToNull(String s) {
        return isBlank(s) ? null : s.trim();
    }
}
