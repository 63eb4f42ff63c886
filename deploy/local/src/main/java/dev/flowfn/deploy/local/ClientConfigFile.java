package dev.flowfn.deploy.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * {@code client.json} in the data folder: the control server's URL and bearer token, for the CLI.
 * Readable by its owner only. The token is made at first start and kept across restarts.
 */
public record ClientConfigFile(String server, String token) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static ClientConfigFile read(Path file) throws IOException {
        Map<?, ?> m = JSON.readValue(file.toFile(), Map.class);
        return new ClientConfigFile((String) m.get("server"), (String) m.get("token"));
    }

    /** The token kept in {@code file}, or a new random one. */
    static String tokenOrNew(Path file) throws IOException {
        if (Files.exists(file)) {
            String token = read(file).token();
            if (token != null && !token.isBlank()) {
                return token;
            }
        }
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    void write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp);
        try {
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the folder's permissions apply
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(tmp.toFile(), Map.of("server", server, "token", token));
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "ClientConfigFile{server=" + server + "}";
    }
}
