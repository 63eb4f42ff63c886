package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The runtime rules of a spec: names, handlers per runtime, function URLs. */
class FunctionSpecRulesTest {

    @Test
    void aRuntimeIsOneOfFiveAndJavaByDefault() {
        assertThat(FunctionSpecRules.runtime(null)).isEqualTo(FunctionRuntime.JAVA);
        assertThat(FunctionSpecRules.runtime("java-embedded"))
                .isEqualTo(FunctionRuntime.JAVA_EMBEDDED);
        assertThat(FunctionRuntime.ids()).isEqualTo("java, java-embedded, nodejs, python, http");
        for (FunctionRuntime r : FunctionRuntime.values()) {
            assertThat(FunctionSpecRules.runtime(r.id())).isEqualTo(r);
        }
        assertThatThrownBy(() -> FunctionSpecRules.runtime("node"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessage(
                        "runtime 'node' is not one of java, java-embedded, nodejs, python, http;"
                                + " e.g. --runtime nodejs");
    }

    @Test
    void theSpecsDefaultRuntimeIsJavaSoOlderRecordsReadAsJava() {
        assertThat(FunctionSpec.getClassSchema().getField("runtime").defaultVal())
                .isEqualTo(FunctionRuntime.DEFAULT.id());
    }

    @ParameterizedTest
    @CsvSource({
        "index.handler, index.js",
        "src/app.main, src/app.js",
        "lib.v2.handler, lib.v2.js",
        "./src//app.main, src/app.js",
        "$mod.$h, $mod.js"
    })
    void aNodejsHandlerIsFileDotExport(String handler, String file) {
        assertThat(FunctionSpecRules.handler(FunctionRuntime.NODEJS, handler)).isEqualTo(handler);
        assertThat(FunctionSpecRules.handlerFile(FunctionRuntime.NODEJS, handler)).isEqualTo(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"index", "index.", "index.2x", "index.my-fn", ".handler"})
    void aNodejsHandlerWithoutAnExportNamesTheForm(String handler) {
        assertThatThrownBy(() -> FunctionSpecRules.handler(FunctionRuntime.NODEJS, handler))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("must be FILE.EXPORT, e.g. index.handler");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../up.handler", "/etc/passwd.x", "src/../../x.h", "src\\app.main"})
    void aNodejsHandlerOutsideTheCodeIsRefused(String handler) {
        assertThatThrownBy(() -> FunctionSpecRules.handler(FunctionRuntime.NODEJS, handler))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("must name a file inside the code");
    }

    @ParameterizedTest
    @CsvSource({
        "handler.main, handler.py",
        "pkg.orders.main, pkg/orders.py",
        "_private._f, _private.py",
        "Ünïcode.grüß, Ünïcode.py"
    })
    void aPythonHandlerIsModuleDotFunction(String handler, String file) {
        assertThat(FunctionSpecRules.handler(FunctionRuntime.PYTHON, handler)).isEqualTo(handler);
        assertThat(FunctionSpecRules.handlerFile(FunctionRuntime.PYTHON, handler)).isEqualTo(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"main", "handler.", ".main", "my-mod.main", "a..main", "h.2", "a/b.c"})
    void aPythonHandlerNamesTheForm(String handler) {
        assertThatThrownBy(() -> FunctionSpecRules.handler(FunctionRuntime.PYTHON, handler))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("must be module.function, e.g. handler.main");
    }

    @Test
    void javaHandlersAreClassesAndHttpHasNone() {
        assertThat(FunctionSpecRules.handler(FunctionRuntime.JAVA, "acme.Upper"))
                .isEqualTo("acme.Upper");
        assertThatThrownBy(() -> FunctionSpecRules.handler(FunctionRuntime.JAVA_EMBEDDED, "a/B"))
                .hasMessageContaining("must be a fully qualified class name");
        assertThat(FunctionSpecRules.handler(FunctionRuntime.HTTP, null)).isEmpty();
        assertThat(FunctionSpecRules.handler(FunctionRuntime.HTTP, "")).isEmpty();
        assertThatThrownBy(() -> FunctionSpecRules.handler(FunctionRuntime.HTTP, "index.handler"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("an http function has no handler")
                .hasMessageContaining("leave out --handler");
        assertThatThrownBy(() -> FunctionSpecRules.handlerFile(FunctionRuntime.JAVA, "a.B"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1:8080/",
                "https://orders.example/flowfn?tenant=a",
                "http://fn.default.svc.cluster.local"
            })
    void aFunctionUrlIsHttpOrHttps(String url) {
        assertThat(FunctionSpecRules.functionUrl(" " + url + " ")).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://x/", "orders.example", "http:///path", "https://h/#frag", ""})
    void aBadFunctionUrlNamesTheForm(String url) {
        assertThatThrownBy(() -> FunctionSpecRules.functionUrl(url))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("must be the http(s) URL the function is served at");
    }

    @Test
    void aFunctionUrlWithCredentialsIsRefusedWithoutEchoingThem() {
        assertThatThrownBy(() -> FunctionSpecRules.functionUrl("https://me:s3cret@fn.example/"))
                .isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("has credentials in it")
                .hasMessageContaining("(https://fn.example/)")
                .hasMessageNotContaining("s3cret");
    }
}
