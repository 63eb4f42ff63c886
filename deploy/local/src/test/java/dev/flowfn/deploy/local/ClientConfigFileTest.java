package dev.flowfn.deploy.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientConfigFileTest {

    @TempDir Path dir;

    @Test
    void whatIsWrittenIsReadBackAndOnlyItsOwnerMayReadIt() throws IOException {
        Path file = dir.resolve("data/client.json");
        new ClientConfigFile("http://127.0.0.1:24125", "t\"o\\k\u00e9n").write(file);

        assertThat(ClientConfigFile.read(file))
                .isEqualTo(new ClientConfigFile("http://127.0.0.1:24125", "t\"o\\k\u00e9n"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(ClientConfigFile.tokenOrNew(file)).isEqualTo("t\"o\\k\u00e9n");
    }

    @Test
    void fieldsItDoesNotKnowAreSkippedAndMissingOnesAreNull() throws IOException {
        Path file = dir.resolve("client.json");
        Files.writeString(file, "{\"extra\":{\"a\":[1,{}]},\"token\":\"t\",\"n\":null}");

        assertThat(ClientConfigFile.read(file)).isEqualTo(new ClientConfigFile(null, "t"));
    }

    @Test
    void aFileThatIsNotAnObjectIsAnError() throws IOException {
        Path file = dir.resolve("client.json");
        Files.writeString(file, "[\"http://x\"]");

        assertThatThrownBy(() -> ClientConfigFile.read(file)).isInstanceOf(IOException.class);
    }
}
