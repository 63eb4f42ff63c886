package dev.flowfn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader fails on what {@code kubectl apply} would refuse, for each family of models. */
class ManifestLoaderTest {

    private final ManifestLoader loader = new ManifestLoader();

    private static final String DEPLOYMENT =
            """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: a
            spec:
              replicas: 2
              selector:
                matchLabels: {app: a}
              template:
                metadata:
                  labels: {app: a}
                spec:
                  containers:
                    - name: c
                      image: x
                      env:
                        - name: PORT
                          value: "8080"
                      resources:
                        requests: {cpu: 500m, memory: 1Gi}
            """;

    @Test
    void readsAWellFormedManifestIntoItsModel() {
        Deployment deployment = loader.load("ok.yaml", DEPLOYMENT).get(0).as(Deployment.class);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                .isEqualTo("x");
    }

    @Test
    void aMisspelledCoreFieldFails() {
        assertThatThrownBy(() -> loader.load("bad.yaml", DEPLOYMENT.replace("replicas", "replcas")))
                .hasMessageContaining("bad.yaml document 1 (Deployment)")
                .hasMessageContaining("\"replcas\"")
                .hasMessageContaining("DeploymentSpec");
    }

    @Test
    void aMisspelledStrimziFieldFails() {
        String kafka =
                """
                apiVersion: kafka.strimzi.io/v1beta2
                kind: Kafka
                metadata:
                  name: k
                spec:
                  kafka:
                    listeners:
                      - name: tls
                        port: 9093
                        type: internal
                        tls: true
                        authentication:
                          type: scram-sha-512
                """;
        assertThat(loader.load("ok.yaml", kafka)).hasSize(1);

        assertThatThrownBy(
                        () -> loader.load("bad.yaml", kafka.replace("  tls: true", "  tsl: true")))
                .hasMessageContaining("\"tsl\"")
                .hasMessageContaining("GenericKafkaListener");
        assertThatThrownBy(
                        () ->
                                loader.load(
                                        "bad.yaml",
                                        kafka.replace("type: internal", "type: intenal")))
                .hasMessageContaining("intenal");
    }

    @Test
    void aMisspelledFlinkDeploymentFieldFails() {
        // JobSpec is @JsonIgnoreProperties(ignoreUnknown = true) in the operator's model
        String flink =
                """
                apiVersion: flink.apache.org/v1beta1
                kind: FlinkDeployment
                metadata:
                  name: f
                spec:
                  flinkVersion: v2_2
                  job:
                    jarURI: local:///opt/flink/usrlib/job.jar
                    upgradeMode: savepoint
                """;
        assertThat(loader.load("ok.yaml", flink)).hasSize(1);

        assertThatThrownBy(() -> loader.load("bad.yaml", flink.replace("jarURI", "jarUri")))
                .hasMessageContaining("\"jarUri\"")
                .hasMessageContaining("JobSpec");
        assertThatThrownBy(() -> loader.load("bad.yaml", flink.replace("v2_2", "v2_9")))
                .hasMessageContaining("v2_9");
    }

    @Test
    void aValueOfTheWrongTypeFails() {
        // Jackson would turn the number into the string "8080"; the API server refuses it
        assertThatThrownBy(() -> loader.load("bad.yaml", DEPLOYMENT.replace("\"8080\"", "8080")))
                .hasMessageContaining("env[0].value");
    }

    @Test
    void anUnknownFieldCannotHideInAdditionalProperties() {
        String text =
                DEPLOYMENT.replace("  name: a\n", "  name: a\n  additionalProperties: {x: 1}\n");

        assertThatThrownBy(() -> loader.load("bad.yaml", text))
                .hasMessageContaining("metadata.additionalProperties");
    }

    @Test
    void aKindTheTestDoesNotKnowFails() {
        assertThatThrownBy(
                        () ->
                                loader.load(
                                        "pod.yaml",
                                        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n"))
                .hasMessageContaining("kind 'Pod' of apiVersion 'v1' is not one this test knows");
        assertThatThrownBy(
                        () ->
                                loader.load(
                                        "old.yaml",
                                        DEPLOYMENT.replace("apps/v1", "extensions/v1beta1")))
                .hasMessageContaining("is not one this test knows");
    }

    @Test
    void aFolderWithoutManifestsFails(@TempDir Path folder) throws Exception {
        Files.writeString(folder.resolve("notes.txt"), "no manifest here");

        assertThatThrownBy(() -> loader.loadFolder(folder)).hasMessageContaining("no manifest");
    }

    @Test
    void readsEveryDocumentOfEveryFileInSubfoldersToo(@TempDir Path folder) throws Exception {
        Files.createDirectories(folder.resolve("more"));
        Files.writeString(folder.resolve("a.yaml"), DEPLOYMENT + "---\n" + DEPLOYMENT + "---\n");
        Files.writeString(folder.resolve("more/b.yml"), DEPLOYMENT);

        assertThat(loader.loadFolder(folder))
                .extracting(ManifestLoader.Manifest::where)
                .containsExactly("a.yaml document 1", "a.yaml document 2", "more/b.yml document 1");
    }
}
