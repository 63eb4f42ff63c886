package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.InvalidSpecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CodeArchiveTest {

    private static final FunctionRuntime NODEJS = FunctionRuntime.NODEJS;
    private static final FunctionRuntime PYTHON = FunctionRuntime.PYTHON;

    @Test
    void theHandlersFileMustBeInTheArchiveAtThePathItNames() {
        byte[] zip =
                TestArchives.zip(
                        "src/",
                        "",
                        "src/app.js",
                        "exports.main = () => 1;",
                        "node_modules/left-pad/index.js",
                        "",
                        "pkg/orders.py",
                        "def main(e, c): pass");

        assertThatCode(() -> CodeArchive.check(zip, NODEJS, "src/app.main"))
                .doesNotThrowAnyException();
        assertThatCode(() -> CodeArchive.check(zip, PYTHON, "pkg.orders.main"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CodeArchive.check(zip, NODEJS, "index.handler"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage(
                        "index.js is not in the code archive, so handler 'index.handler' cannot"
                                + " load; check --handler (FILE.EXPORT or module.function names"
                                + " index.js) or the code you gave (its top has: node_modules/,"
                                + " pkg/, src/)");
        assertThatThrownBy(() -> CodeArchive.check(zip, PYTHON, "src.app.main"))
                .hasMessageStartingWith("src/app.py is not in the code archive");
    }

    @Test
    void aZippedFolderInsteadOfItsContentsSaysHowToZipIt() {
        byte[] zip = TestArchives.zip("myfn/index.js", "", "myfn/node_modules/x/index.js", "");

        assertThatThrownBy(() -> CodeArchive.check(zip, NODEJS, "index.handler"))
                .hasMessageContaining("the archive has myfn/index.js")
                .hasMessageContaining("zip the folder's contents, not the folder (cd myfn");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../evil.js", "/etc/cron.d/x", "a/../../b", "C:/x.js", "a\\b.js"})
    void anEntryOutsideTheArchiveIsRefused(String name) {
        byte[] zip = TestArchives.zip("index.js", "", name, "");

        assertThatThrownBy(() -> CodeArchive.check(zip, NODEJS, "index.handler"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("the code archive has the entry '" + name + "'")
                .hasMessageContaining("zip -r");
    }

    @Test
    void aFileThatIsNotAZipOrEmptySaysSo() {
        assertThatThrownBy(
                        () ->
                                CodeArchive.check(
                                        "exports.handler = 1".getBytes(StandardCharsets.UTF_8),
                                        NODEJS,
                                        "index.handler"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("has no files (is it a zip?)");
        byte[] truncated = TestArchives.zip("index.js", "x".repeat(10_000));
        byte[] cut = Arrays.copyOf(truncated, 60);
        assertThatThrownBy(() -> CodeArchive.check(cut, NODEJS, "index.handler"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("is not a readable zip file");
    }

    @Test
    void sizesOverTheLimitsAreRefusedAndSaySo() {
        assertThatCode(() -> CodeArchive.checkSize(CodeArchive.MAX_BYTES))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> CodeArchive.checkSize(CodeArchive.MAX_BYTES + 7 * 1024 * 1024))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageStartingWith(
                        "the code archive is 71 MiB zipped, over the limit of 64 MiB;");
        assertThatThrownBy(() -> CodeArchive.checkSize(CodeArchive.MAX_BYTES + 300 * 1024))
                .hasMessageStartingWith(
                        "the code archive is 64.3 MiB zipped, over the limit of 64 MiB;");

        // 3 MiB of zeros zip to a few KiB: the unpacked size is what counts (here, over 2 MiB)
        byte[] bomb = TestArchives.zip(Map.of("index.js", new byte[3 * 1024 * 1024]));
        assertThat(bomb.length).isLessThan(64 * 1024);
        assertThatThrownBy(() -> CodeArchive.check(bomb, NODEJS, "index.handler", 2 << 20))
                .hasMessageStartingWith("the code archive unpacks to more than 2 MiB");
        assertThatCode(() -> CodeArchive.check(bomb, NODEJS, "index.handler"))
                .doesNotThrowAnyException();
        assertThat(CodeArchive.MAX_UNPACKED_BYTES).isEqualTo(512L << 20);
    }
}
