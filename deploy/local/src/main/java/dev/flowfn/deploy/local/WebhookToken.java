package dev.flowfn.deploy.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shared secret of the bucket-notification webhook ({@code POST /hooks/s3}): the store sends it
 * as MinIO's {@code auth_token} ({@code Authorization: Bearer <token>}), the receiver compares it.
 * One per data folder, in a file only its owner can read (mode 600); a real MinIO is configured
 * with the same value ({@code mc admin config set ALIAS notify_webhook:flowfn
 * endpoint=<gateway>/hooks/s3 auth_token=$(cat s3-webhook-token)}).
 */
public final class WebhookToken {

    private static final SecureRandom RANDOM = new SecureRandom();

    private WebhookToken() {}

    /** The token saved in {@code file}, or a new random one (256 bits, hex) saved there. */
    public static String loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (token.length() < 16 || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
                throw new IllegalStateException(
                        file
                                + " does not hold a webhook token (at least 16 printable characters);"
                                + " delete it to create a new one");
            }
            return token;
        }
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        FileAttribute<?>[] ownerOnly =
                posix
                        ? new FileAttribute<?>[] {
                            PosixFilePermissions.asFileAttribute(
                                    PosixFilePermissions.fromString("rw-------"))
                        }
                        : new FileAttribute<?>[0];
        // created with its final permissions before the secret is written, then moved into place
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", ownerOnly);
        try {
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return token;
    }
}
