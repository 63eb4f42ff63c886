package dev.flowfn.deploy.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A mosquitto TLS listener on 127.0.0.1 that wants a user name and password: a self-signed
 * certificate for IP 127.0.0.1 made now with {@code openssl}, the trust store a client needs
 * (PKCS12, by {@code keytool}), and a password file by {@code mosquitto_passwd}.
 */
record TlsListener(
        int port, Path truststore, String truststorePassword, String user, String password) {

    static final String USER = "device-gateway";

    static TlsListener create(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        Path key = dir.resolve("broker.key");
        Path cert = dir.resolve("broker.crt");
        run(
                dir,
                List.of(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "rsa:2048",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=127.0.0.1",
                        "-addext",
                        "subjectAltName=IP:127.0.0.1",
                        "-keyout",
                        key.toString(),
                        "-out",
                        cert.toString()));
        Path truststore = dir.resolve("truststore.p12");
        String storePassword = "trust-" + Long.toHexString(System.nanoTime());
        run(
                dir,
                List.of(
                        "keytool",
                        "-importcert",
                        "-noprompt",
                        "-alias",
                        "broker",
                        "-file",
                        cert.toString(),
                        "-keystore",
                        truststore.toString(),
                        "-storetype",
                        "PKCS12",
                        "-storepass",
                        storePassword));
        String password = "pw-" + Long.toHexString(System.nanoTime());
        run(
                dir,
                List.of(
                        "mosquitto_passwd",
                        "-b",
                        "-c",
                        dir.resolve("passwords").toString(),
                        USER,
                        password));
        return new TlsListener(port, truststore, storePassword, USER, password);
    }

    /** The listener's lines of mosquitto.conf. */
    String config() {
        Path dir = truststore.getParent().toAbsolutePath();
        return String.join(
                "\n",
                "listener " + port + " 127.0.0.1",
                "allow_anonymous false",
                "password_file " + dir.resolve("passwords"),
                "certfile " + dir.resolve("broker.crt"),
                "keyfile " + dir.resolve("broker.key"));
    }

    String url() {
        return "ssl://127.0.0.1:" + port;
    }

    private static void run(Path dir, List<String> command) throws Exception {
        Process p =
                new ProcessBuilder(command)
                        .directory(dir.toFile())
                        .redirectErrorStream(true)
                        .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(command.get(0) + " failed: " + out);
        }
    }
}
