package dev.flowfn.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real AWS CLI ({@code /usr/bin/aws}, Debian's awscli; {@code scripts/install-test-tools}
 * installs it) against an S3 endpoint, with its own empty home so no user config leaks in.
 */
final class AwsCli {

    static final Path AWS = Path.of("/usr/bin/aws");

    private final String endpoint;
    private final String accessKey;
    private final String secretKey;
    private final Path home;

    AwsCli(String endpoint, String accessKey, String secretKey, Path home) {
        if (!Files.isExecutable(AWS)) {
            throw new IllegalStateException(
                    AWS + " is missing: run scripts/install-test-tools (apt-get install awscli)");
        }
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.home = home;
    }

    /**
     * Runs {@code aws --endpoint-url E s3 ARGS...}; fails the test with its output if it failed.
     */
    String s3(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(AWS.toString(), "--endpoint-url", endpoint));
        command.add("s3");
        command.addAll(List.of(args));
        if (args[0].equals("cp")) {
            command.add("--only-show-errors");
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", home.toString());
        pb.environment().put("AWS_ACCESS_KEY_ID", accessKey);
        pb.environment().put("AWS_SECRET_ACCESS_KEY", secretKey); // environment, not arguments
        pb.environment().put("AWS_DEFAULT_REGION", "us-east-1");
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().remove("AWS_PROFILE");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError("aws s3 " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }
}
