package dev.flowfn.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.example.fns.BadHandlers;
import com.example.fns.Echo;
import com.example.fns.Probe;
import com.example.lib.Shout;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import dev.flowfn.api.testing.TestContext;
import dev.flowfn.api.testing.TestEvent;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading from a code directory, in this JVM: the test classes are on the class path here, yet the
 * function's come from its jars, as they will in a worker started with the job's big jar.
 */
class FunctionLoaderTest {

    @TempDir Path dir;

    private LoadedFunction load(String handler) throws CodeLoadException {
        return FunctionLoader.isolated()
                .load(new LoadRequest("fn", 3, handler, dir.toString(), 128, Map.of("K", "v")));
    }

    @Test
    void loadsEveryJarOfTheCodeDirectoryIntoALoaderOfItsOwn() throws Exception {
        TestJars.jar(dir.resolve("fn.jar"), Echo.class, Probe.class, BadHandlers.class);
        TestJars.jar(dir.resolve("lib.jar"), Shout.class);

        LoadedFunction fn = load(Echo.class.getName());

        assertThat(fn.handler().getClass()).isNotSameAs(Echo.class); // the jar's, not the test's
        assertThat(fn.handler().getClass().getClassLoader()).isSameAs(fn.classLoader());
        assertThat(fn.classLoader().getName()).isEqualTo("flowfn-fn-v3");
        assertThat(fn.env()).isEqualTo(Map.of("K", "v"));
        assertThat(fn.memoryMb()).isEqualTo(128);
        Result r =
                fn.handler()
                        .handle(
                                TestEvent.builder().data("hi").build(),
                                TestContext.builder().env("GREETING", "hello").build());
        assertThat(r.dataAsString()).contains("greeting=hello", "data=HI!");
    }

    @Test
    void theFunctionSeesTheJdkAndTheApiButNothingElseOfTheClassPath() throws Exception {
        TestJars.jar(dir.resolve("fn.jar"), Probe.class);
        Handler probe = load(Probe.class.getName()).handler();

        Result r =
                probe.handle(
                        TestEvent.builder()
                                .data(
                                        String.join(
                                                "\n",
                                                "java.sql.Connection",
                                                "dev.flowfn.api.Result",
                                                "dev.flowfn.worker.JavaWorker",
                                                "org.assertj.core.api.Assertions",
                                                "org.junit.jupiter.api.Test",
                                                "com.example.lib.Shout"))
                                .build(),
                        TestContext.create());

        assertThat(r.dataAsString())
                .contains(
                        "java.sql.Connection=visible",
                        "dev.flowfn.api.Result=visible",
                        "dev.flowfn.worker.JavaWorker=hidden",
                        "org.assertj.core.api.Assertions=hidden",
                        "org.junit.jupiter.api.Test=hidden",
                        "com.example.lib.Shout=hidden", // on the test class path, not in the jar
                        "api=shared");
        assertThat(probe.getClass().getClassLoader().getResource("dev/flowfn/api/Handler.class"))
                .isNotNull();
        assertThat(probe.getClass().getClassLoader().getResource("dev/flowfn/worker/version.txt"))
                .isNull();
    }

    @Test
    void loadsClassesFromTheCodeDirectoryItself() throws Exception {
        TestJars.classes(dir, Probe.class);
        assertThat(load(Probe.class.getName()).handler().getClass().getName())
                .isEqualTo(Probe.class.getName());
    }

    @Test
    void failuresNameTheFix() throws Exception {
        assertThatThrownBy(() -> load(Echo.class.getName()))
                .isInstanceOf(CodeLoadException.class)
                .hasMessage(
                        "no .jar (nor .class) files in code directory "
                                + dir
                                + "; deploy the function's jar with the java runtime");
        Path missing = dir.resolve("nope");
        assertThatThrownBy(
                        () ->
                                FunctionLoader.isolated()
                                        .load(
                                                new LoadRequest(
                                                        "fn",
                                                        1,
                                                        "x.Y",
                                                        missing.toString(),
                                                        0,
                                                        Map.of())))
                .hasMessage(
                        "code directory " + missing + " does not exist; deploy the function again");

        TestJars.jar(dir.resolve("fn.jar"), BadHandlers.class);
        assertThatThrownBy(() -> load("index.handler"))
                .hasMessageStartingWith(
                        "handler class index.handler is not in the jar; check --handler");
        assertThatThrownBy(() -> load(BadHandlers.NotAHandler.class.getName()))
                .hasMessage(
                        "class com.example.fns.BadHandlers$NotAHandler does not implement"
                                + " dev.flowfn.api.Handler; implement it, or name the class that"
                                + " does with --handler");
        assertThatThrownBy(() -> load(BadHandlers.NeedsArgs.class.getName()))
                .hasMessageContaining(
                        "BadHandlers$NeedsArgs has no public no-arg constructor; add one");
        assertThatThrownBy(() -> load(BadHandlers.ThrowsInConstructor.class.getName()))
                .hasMessage(
                        "the constructor of com.example.fns.BadHandlers$ThrowsInConstructor threw"
                                + " java.lang.IllegalArgumentException: THUMB_SIZE is not set; fix"
                                + " the constructor (it runs when the version loads)");
        assertThatThrownBy(() -> load("com.example.fns.BadHandlers$Hidden"))
                .hasMessageContaining("BadHandlers$Hidden is not public; make it public");
        assertThatThrownBy(() -> load(BadHandlers.Unfinished.class.getName()))
                .hasMessageContaining("BadHandlers$Unfinished is abstract");
    }

    @Test
    void aClassThatNeedsALibraryTheCodeLacksSaysWhatToBundle() throws Exception {
        TestJars.jar(dir.resolve("fn.jar"), Echo.class); // without lib.jar: Shout is missing
        LoadedFunction fn = load(Echo.class.getName()); // resolved lazily, at the first call
        assertThatThrownBy(
                        () ->
                                fn.handler()
                                        .handle(TestEvent.builder().build(), TestContext.create()))
                .isInstanceOf(NoClassDefFoundError.class)
                .hasMessageContaining("com/example/lib/Shout");
    }
}
