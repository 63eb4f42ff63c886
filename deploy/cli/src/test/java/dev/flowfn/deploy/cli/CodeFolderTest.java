package dev.flowfn.deploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code deploy --code DIR} packs, and that the same folder packs to the same bytes. */
class CodeFolderTest {

    @TempDir Path dir;

    @Test
    void everythingTheUserIncludedIsPackedButVersionControlAndCaches() throws IOException {
        write("index.js", "exports.handler = () => 'hi';");
        write("node_modules/left-pad/index.js", "module.exports = 1;");
        write("node_modules/.bin/x", "#!/bin/sh");
        write(".deps/requests/__init__.py", "");
        write(".env.defaults", "A=1");
        write(".git/HEAD", "ref: refs/heads/main");
        write("lib/.git/config", "");
        write("pkg/__pycache__/mod.cpython-311.pyc", "");
        write("pkg/mod.py", "");
        write(".DS_Store", "");

        CodeFolder.Zipped zipped = CodeFolder.zip(dir);

        assertThat(entries(zipped.bytes()))
                .containsExactly(
                        ".deps/requests/__init__.py",
                        ".env.defaults",
                        "index.js",
                        "node_modules/.bin/x",
                        "node_modules/left-pad/index.js",
                        "pkg/mod.py");
        assertThat(zipped.files()).isEqualTo(6);
    }

    @Test
    void theSameFilesZipToTheSameBytesWhateverTheirTimes() throws IOException {
        write("index.js", "exports.handler = () => 'hi';");
        write("src/app.js", "exports.main = () => 1;");
        byte[] first = CodeFolder.zip(dir).bytes();

        Files.setLastModifiedTime(
                dir.resolve("index.js"), FileTime.from(Instant.parse("2030-01-01T00:00:00Z")));
        byte[] second = CodeFolder.zip(dir).bytes();
        write("src/app.js", "exports.main = () => 2;");
        byte[] changed = CodeFolder.zip(dir).bytes();

        assertThat(second).isEqualTo(first);
        assertThat(changed).isNotEqualTo(first);
    }

    @Test
    void symbolicLinksArePackedAsWhatTheyPointAt() throws IOException {
        Path sdk = Files.createDirectories(dir.resolve("elsewhere/sdk"));
        Files.writeString(sdk.resolve("index.js"), "module.exports = {};");
        Path code = Files.createDirectories(dir.resolve("fn"));
        Files.writeString(code.resolve("index.js"), "");
        Files.createDirectories(code.resolve("node_modules/@flowfn"));
        Files.createSymbolicLink(code.resolve("node_modules/@flowfn/sdk"), sdk);

        assertThat(entries(CodeFolder.zip(code).bytes()))
                .containsExactly("index.js", "node_modules/@flowfn/sdk/index.js");
    }

    @Test
    void aLinkLoopIsAUsageError() throws IOException {
        write("index.js", "");
        Files.createSymbolicLink(dir.resolve("loop"), dir);

        assertThatThrownBy(() -> CodeFolder.zip(dir))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("symbolic link loop");
    }

    @Test
    void aFolderOverTheLimitStopsAsSoonAsItIsAndSaysSo() throws IOException {
        byte[] noise = new byte[200 * 1024]; // random bytes do not compress
        new Random(7).nextBytes(noise);
        Files.write(dir.resolve("big.bin"), noise);

        assertThatThrownBy(() -> CodeFolder.zip(dir, 64 * 1024))
                .isInstanceOf(UsageException.class)
                .hasMessageContaining("is over the limit of 0.06 MiB zipped")
                .hasMessageContaining("npm install --omit=dev");
    }

    @Test
    void unzipRestoresTheFolder() throws IOException {
        write("src/app.js", "exports.main = 1;");
        byte[] zip = CodeFolder.zip(dir).bytes();
        Path out = Files.createDirectories(dir.resolve("out"));

        CodeFolder.unzip(zip, out);

        assertThat(out.resolve("src/app.js")).hasContent("exports.main = 1;");
    }

    private void write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static List<String> entries(byte[] zip) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
