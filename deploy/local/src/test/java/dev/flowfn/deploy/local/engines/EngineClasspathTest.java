package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineClasspathTest {

    @TempDir Path home;

    @Test
    void listsTheModuleJarsThenItsClasses() throws Exception {
        Path jar = Files.createFile(home.resolve("a.jar"));
        Path other = Files.createFile(home.resolve("b.jar"));
        Path target =
                Files.createDirectories(home.resolve("deploy/s3-store/target/classes")).getParent();
        Files.writeString(target.resolve("classpath.txt"), jar + File.pathSeparator + other + "\n");

        assertThat(EngineClasspath.of(home).classpath("s3-store"))
                .isEqualTo(
                        String.join(
                                File.pathSeparator,
                                jar.toString(),
                                other.toString(),
                                target.resolve("classes").toString()));
    }

    @Test
    void namesTheBuildCommandWhenTheEngineIsNotBuilt() {
        assertThatThrownBy(() -> EngineClasspath.of(home).classpath("kafka-broker"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("deploy/kafka-broker/target/classpath.txt is missing")
                .hasMessageContaining("./flowfn")
                .hasMessageContaining("mvn -q -pl deploy/kafka-broker -am package");
    }

    @Test
    void namesAJarThatIsGone() throws Exception {
        Path target =
                Files.createDirectories(home.resolve("deploy/kafka-broker/target/classes"))
                        .getParent();
        Files.writeString(target.resolve("classpath.txt"), home.resolve("gone.jar").toString());

        assertThatThrownBy(() -> EngineClasspath.of(home).classpath("kafka-broker"))
                .hasMessageContaining("gone.jar, which does not exist");
    }

    @Test
    void findsTheHomeFromPropertyThenEnvironmentThenParentFolders() throws Exception {
        Files.createDirectories(home.resolve("deploy"));
        Files.createFile(home.resolve("deploy/pom.xml"));
        Path nested = Files.createDirectories(home.resolve("deploy/cli/src"));

        assertThat(EngineClasspath.findHome("/from/property", "/from/env", nested))
                .contains(Path.of("/from/property"));
        assertThat(EngineClasspath.findHome(null, "/from/env", nested))
                .contains(Path.of("/from/env"));
        assertThat(EngineClasspath.findHome("", " ", nested))
                .contains(home.toAbsolutePath().normalize());
        assertThat(EngineClasspath.findHome(null, null, home.getParent())).isEmpty();
    }
}
