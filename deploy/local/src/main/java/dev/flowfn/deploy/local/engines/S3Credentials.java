package dev.flowfn.deploy.local.engines;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * The access key and secret of the local object store. {@link #toString()} never shows the secret.
 *
 * <p>Immutable; any thread. {@link #loadOrCreate(Path)} is meant for the launcher's starting thread
 * (two launchers creating the same file at once may each write their own pair; the last one wins on
 * disk).
 */
public record S3Credentials(String accessKey, String secretKey) {

    private static final String ACCESS_KEY = "access.key";
    private static final String SECRET_KEY = "secret.key";
    private static final String UPPER_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String ALPHANUMERIC = UPPER_DIGITS + "abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    public S3Credentials {
        requireToken("access key", accessKey, 3);
        requireToken("secret key", secretKey, 8);
    }

    /** A new random pair: a 20-character access key and a 40-character secret (about 238 bits). */
    public static S3Credentials random() {
        return new S3Credentials(randomString(UPPER_DIGITS, 20), randomString(ALPHANUMERIC, 40));
    }

    /**
     * The pair saved in {@code file}, or a new random pair saved there (owner read/write only,
     * where the file system has POSIX permissions).
     */
    public static S3Credentials loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Properties saved = new Properties();
            try (Reader reader = Files.newBufferedReader(file)) {
                saved.load(reader);
            }
            try {
                return new S3Credentials(
                        saved.getProperty(ACCESS_KEY), saved.getProperty(SECRET_KEY));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        file + ": " + e.getMessage() + "; delete the file to create new ones", e);
            }
        }
        S3Credentials created = random();
        created.save(file);
        return created;
    }

    @Override
    public String toString() {
        return "S3Credentials[accessKey=" + accessKey + ", secretKey=(hidden)]";
    }

    private void save(Path file) throws IOException {
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
            Properties properties = new Properties();
            properties.setProperty(ACCESS_KEY, accessKey);
            properties.setProperty(SECRET_KEY, secretKey);
            try (Writer writer = Files.newBufferedWriter(temp)) {
                properties.store(writer, "Flowfn local object store credentials");
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void requireToken(String what, String value, int minLength) {
        if (value == null
                || value.length() < minLength
                || !value.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException(
                    "%s must be at least %d printable ASCII characters without spaces"
                            .formatted(what, minLength));
        }
    }

    private static String randomString(String alphabet, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return out.toString();
    }
}
