package dev.flowfn.bench.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.bench.fns.Noop;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The no-op function's code per runtime, as a user would deploy it. */
class NoopCodeTest {

    @TempDir Path dir;

    @Test
    void javaRuntimesGetAJarWithTheNoopClass() throws IOException {
        for (String runtime : new String[] {NoopCode.JAVA_EMBEDDED, NoopCode.JAVA}) {
            NoopCode code = NoopCode.write(runtime, dir, "t1");

            assertThat(code.runtime()).isEqualTo(runtime);
            assertThat(code.handler()).isEqualTo(Noop.class.getName());
            assertThat(code.codeUri()).startsWith("file:").endsWith(".jar");
            assertThat(entries(code))
                    .containsKeys("dev/flowfn/bench/fns/Noop.class")
                    .containsEntry("flowfn-bench.txt", "t1\n");
        }
    }

    @Test
    void nodeAndPythonGetAZipWhoseHandlerReturnsAnEmptyResult() throws IOException {
        NoopCode node = NoopCode.write(NoopCode.NODEJS, dir, "t1");
        NoopCode python = NoopCode.write(NoopCode.PYTHON, dir, "t1");

        assertThat(node.handler()).isEqualTo("index.handler");
        assertThat(entries(node).get("index.js"))
                .contains("exports.handler = () => Result.empty();");
        assertThat(python.handler()).isEqualTo("handler.main");
        assertThat(entries(python).get("handler.py"))
                .contains("def main(event, context):")
                .contains("return Result.empty()");
    }

    @Test
    void eachTagIsCodeOfItsOwnAndTheShaIsTheFilesOwn() throws IOException {
        NoopCode a = NoopCode.write(NoopCode.NODEJS, dir, "a");
        NoopCode b = NoopCode.write(NoopCode.NODEJS, dir, "b");

        assertThat(a.sha256()).isNotEqualTo(b.sha256());
        assertThat(a.sha256())
                .isEqualTo(Jars.sha256(Files.readAllBytes(Path.of(URI.create(a.codeUri())))));
    }

    private static Map<String, String> entries(NoopCode code) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (ZipInputStream zip =
                new ZipInputStream(Files.newInputStream(Path.of(URI.create(code.codeUri()))))) {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                out.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return out;
    }
}
