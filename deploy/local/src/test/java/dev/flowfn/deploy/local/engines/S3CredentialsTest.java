package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class S3CredentialsTest {

    @TempDir Path dir;

    @Test
    void toStringHidesTheSecret() {
        S3Credentials credentials = S3Credentials.random();

        assertThat(credentials.toString())
                .contains(credentials.accessKey())
                .doesNotContain(credentials.secretKey());
    }

    @Test
    void createsRandomCredentialsOnceThenLoadsThem() throws Exception {
        Path file = dir.resolve("nested/s3-credentials.properties");

        S3Credentials created = S3Credentials.loadOrCreate(file);
        S3Credentials loaded = S3Credentials.loadOrCreate(file);

        assertThat(loaded).isEqualTo(created);
        assertThat(created.accessKey()).hasSize(20);
        assertThat(created.secretKey()).hasSize(40);
        assertThat(S3Credentials.loadOrCreate(dir.resolve("other"))).isNotEqualTo(created);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void rejectsABrokenFileWithoutShowingItsSecret() throws Exception {
        Path file = dir.resolve("s3-credentials.properties");
        Files.writeString(file, "access.key=AKIA1\nsecret.key=has space secret\n");

        assertThatThrownBy(() -> S3Credentials.loadOrCreate(file))
                .hasMessageContaining("secret key")
                .hasMessageContaining("delete the file")
                .hasMessageNotContaining("has space secret");
    }
}
