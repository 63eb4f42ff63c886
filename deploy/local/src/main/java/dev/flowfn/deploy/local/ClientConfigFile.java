package dev.flowfn.deploy.local;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * {@code client.json} in the data folder: the control server's URL and bearer token, for the CLI.
 * Readable by its owner only. The token is made at first start and kept across restarts.
 */
public record ClientConfigFile(String server, String token) {

    // the streaming parser, not an ObjectMapper: every client command reads this file, and a
    // mapper costs tens of milliseconds to build in a fresh JVM
    private static final JsonFactory JSON = new JsonFactory();

    public static ClientConfigFile read(Path file) throws IOException {
        String server = null;
        String token = null;
        try (JsonParser p = JSON.createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new JsonParseException(p, file + " is not a JSON object");
            }
            for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
                JsonToken value = p.nextToken();
                if (field.equals("server") && value == JsonToken.VALUE_STRING) {
                    server = p.getText();
                } else if (field.equals("token") && value == JsonToken.VALUE_STRING) {
                    token = p.getText();
                } else {
                    p.skipChildren();
                }
            }
        }
        return new ClientConfigFile(server, token);
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
        try (JsonGenerator out = JSON.createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
            out.useDefaultPrettyPrinter();
            out.writeStartObject();
            out.writeStringField("server", server);
            out.writeStringField("token", token);
            out.writeEndObject();
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public String toString() {
        return "ClientConfigFile{server=" + server + "}";
    }
}
