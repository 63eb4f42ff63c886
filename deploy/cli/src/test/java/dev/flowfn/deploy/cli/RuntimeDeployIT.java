package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.ClientConfigFile;
import dev.flowfn.deploy.local.DataDir;
import dev.flowfn.deploy.local.LocalPlatform;
import dev.flowfn.deploy.local.LocalSettings;
import dev.flowfn.examples.hello.Upper;
import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Functions of each runtime deployed with {@code flowfn deploy} through the real control server of
 * a local platform (Kafka registry, S3 code store), and read back: the spec's runtime, handler,
 * code URI and hash, and the code object in the store. The functions are not invoked: running
 * nodejs, python and http functions is the job's side.
 */
class RuntimeDeployIT {

    @TempDir static Path dir;
    static LocalPlatform platform;
    static ControlClient client;
    static MinioClient s3;

    @BeforeAll
    static void start() throws Exception {
        Path data = dir.resolve("platform");
        platform =
                LocalPlatform.start(
                        LocalSettings.embedded(
                                new DataDir(data), Duration.ofMillis(500), 1, Map.of()),
                        new PrintWriter(System.out, true));
        client =
                new ControlClient(
                        URI.create(platform.controlUrl()),
                        ClientConfigFile.read(data.resolve("client.json")).token());
        s3 =
                MinioClient.builder()
                        .endpoint(platform.s3Endpoint())
                        .credentials(
                                platform.s3Credentials().accessKey(),
                                platform.s3Credentials().secretKey())
                        .build();
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aNodejsZipIsStoredAsItWasUploadedAndItsSpecSaysNodejs() throws Exception {
        Path code = dir.resolve("greeter");
        assertThat(flowfn("init", "--runtime", "nodejs", "greeter", "--dir", code.toString()).exit)
                .isZero();
        Path zip = dir.resolve("greeter.zip");
        Files.write(zip, CodeFolder.zip(code).bytes());
        String sha = sha256(Files.readAllBytes(zip));

        Run deploy =
                deploy(
                        "greeter",
                        "--runtime",
                        "nodejs",
                        "--code",
                        zip.toString(),
                        "--handler",
                        "index.handler");

        assertThat(deploy.exit).as(deploy.err).isZero();
        assertThat(deploy.out)
                .contains("Deployed greeter version 1 (nodejs, sha256 " + sha.substring(0, 12));
        FunctionView spec = client.describe("greeter");
        assertThat(spec.runtime()).isEqualTo("nodejs");
        assertThat(spec.handler()).isEqualTo("index.handler");
        assertThat(spec.codeSha256()).isEqualTo(sha);
        assertThat(spec.codeUri()).matches("s3://[a-z0-9.-]+/greeter/" + sha + "\\.zip");
        assertThat(sha256(stored(spec.codeUri()))).isEqualTo(sha);
        assertThat(flowfn("describe", "greeter", "--data-dir", data()).out)
                .contains("nodejs")
                .contains(sha + ".zip");
    }

    @Test
    void aPythonFolderIsZippedTheSameWayEachTimeSoARedeployStoresNothingNew() throws Exception {
        Path code = dir.resolve("orders");
        assertThat(flowfn("init", "--runtime", "python", "orders", "--dir", code.toString()).exit)
                .isZero();
        String sha = sha256(CodeFolder.zip(code).bytes());

        Run first =
                deploy(
                        "orders",
                        "--runtime",
                        "python",
                        "--code",
                        code.toString(),
                        "--handler",
                        "handler.main");
        Run second =
                deploy(
                        "orders",
                        "--runtime",
                        "python",
                        "--code",
                        code.toString(),
                        "--handler",
                        "handler.main");

        assertThat(first.exit).as(first.err).isZero();
        assertThat(first.err).contains("Uploading " + code).contains("files, zipped");
        assertThat(second.out).contains("Deployed orders version 2 (python, sha256 ");
        FunctionView spec = client.describe("orders");
        assertThat(spec.version()).isEqualTo(2);
        assertThat(spec.runtime()).isEqualTo("python");
        assertThat(spec.handler()).isEqualTo("handler.main");
        assertThat(spec.codeSha256()).isEqualTo(sha);
        assertThat(spec.codeUri()).endsWith("/orders/" + sha + ".zip");
        assertThat(client.versions("orders"))
                .extracting(v -> v.codeSha256())
                .containsExactly(sha, sha);
        assertThat(sha256(stored(spec.codeUri()))).isEqualTo(sha);
    }

    @Test
    void anHttpFunctionIsItsUrlAndAJarDeployIsJavaByDefault() throws Exception {
        Run remote = deploy("remote", "--runtime", "http", "--url", "http://127.0.0.1:9/fn");
        Path jar = Path.of(Upper.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Run java = deploy("upper", "--jar", jar.toString(), "--handler", Upper.class.getName());
        Run wrong =
                deploy(
                        "upper",
                        "--runtime",
                        "nodejs",
                        "--jar",
                        jar.toString(),
                        "--handler",
                        "index.handler");

        assertThat(remote.exit).as(remote.err).isZero();
        assertThat(remote.out).contains("Deployed remote version 1 (http, http://127.0.0.1:9/fn)");
        assertThat(remote.err).doesNotContain("Uploading");
        FunctionView spec = client.describe("remote");
        assertThat(spec.runtime()).isEqualTo("http");
        assertThat(spec.codeUri()).isEqualTo("http://127.0.0.1:9/fn");
        assertThat(spec.codeSha256()).isEmpty();
        assertThat(spec.handler()).isEmpty();

        assertThat(java.exit).as(java.err).isZero();
        assertThat(client.describe("upper").runtime()).isEqualTo("java");
        assertThat(client.describe("upper").codeUri()).endsWith(".jar");
        assertThat(wrong.exit).isEqualTo(2);
        assertThat(client.describe("upper").version()).isEqualTo(1);
    }

    private record Run(int exit, String out, String err) {}

    private static Run deploy(String name, String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "deploy";
        all[1] = "--data-dir";
        all[2] = data();
        all[3] = "--name";
        all[4] = name;
        System.arraycopy(args, 0, all, 5, args.length);
        return flowfn(all);
    }

    private static Run flowfn(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = FlowfnCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exit, out.toString(), err.toString());
    }

    private static String data() {
        return dir.resolve("platform").toString();
    }

    /** The object at {@code s3://bucket/key} in the platform's store. */
    private static byte[] stored(String codeUri) throws Exception {
        String path = codeUri.substring("s3://".length());
        int slash = path.indexOf('/');
        try (InputStream in =
                s3.getObject(
                        GetObjectArgs.builder()
                                .bucket(path.substring(0, slash))
                                .object(path.substring(slash + 1))
                                .build())) {
            return in.readAllBytes();
        }
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
