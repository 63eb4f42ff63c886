package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JarInspectorTest {

    @Test
    void theHandlersOfAJarAreItsHandlerClassesOnly() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put(
                TestJars.NOT_A_HANDLER.replace('.', '/') + ".class",
                TestJars.notAHandlerJarClass());
        entries.put(TestJars.HANDLER.replace('.', '/') + ".class", TestJars.handlerClass());
        entries.put("acme/Reading.avsc", "{}".getBytes(StandardCharsets.UTF_8));

        assertThat(JarInspector.handlers(TestJars.jar(entries))).containsExactly(TestJars.HANDLER);
    }

    @Test
    void aJarWithoutHandlersHasNone() {
        assertThat(JarInspector.handlers(TestJars.notAHandlerJar())).isEmpty();
    }

    @Test
    void aFileThatIsNotAJarIsA400() {
        assertThatThrownBy(
                        () ->
                                JarInspector.handlers(
                                        "not a jar at all".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(400))
                .hasMessageContaining("not a jar");
    }
}
