package dev.flowfn.deploy.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.deploy.kubernetes.ManifestLoader.Manifest;
import dev.flowfn.schemas.Topics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.common.authentication.KafkaClientAuthenticationScramSha512;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.kafka.listener.GenericKafkaListener;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Every manifest under {@code deploy/kubernetes/manifests} reads into its operator's model ({@link
 * ManifestLoader}), and the manifests agree with each other and with the code: the names, ports and
 * paths one of them uses are those another one defines.
 */
class KubernetesManifestsTest {

    static final String NAMESPACE = "flowfn";

    /** The path of S3WebhookReceiver.PATH (deploy/control-server), on the gateway port. */
    static final String WEBHOOK_PATH = "/hooks/s3";

    /** JobOptions.TRIGGER_TOPIC_PATTERN's default (job/): the topics the job reads events from. */
    static final Pattern TRIGGER_TOPICS = Pattern.compile("flowfn\\.events|(?!flowfn\\.|__|_).+");

    /**
     * Secrets the user creates (README, "Running on Kubernetes"); the others are manifests here or
     * made by Strimzi (one per KafkaUser, and the cluster CA's).
     */
    static final Set<String> USER_SECRETS =
            Set.of(
                    "flowfn-minio-root",
                    "flowfn-s3-credentials",
                    "flowfn-api-token",
                    "flowfn-s3-webhook");

    static List<Manifest> all;

    @BeforeAll
    static void load() throws IOException {
        all = new ManifestLoader().loadFolder(Path.of(System.getProperty("flowfn.manifests")));
    }

    @Test
    void everyResourceIsInTheFlowfnNamespaceOnce() {
        Set<String> seen = new HashSet<>();
        for (Manifest m : all) {
            if (m.where().startsWith("alternatives/")) {
                continue; // replaces its namesake
            }
            if (!(m.kind().equals("Namespace"))) {
                assertThat(m.model().getMetadata().getNamespace())
                        .as(m.where())
                        .isEqualTo(NAMESPACE);
            }
            assertThat(seen.add(m.kind() + "/" + m.name())).as("%s is unique", m.where()).isTrue();
        }
    }

    @Test
    void theServerRunsFlowfnServerWithItsRealOptionsAndProbes() {
        Container server = container(one(Deployment.class, "flowfn-server"));
        List<String> args = server.getArgs();

        assertThat(server.getCommand()).containsExactly("flowfn", "server");
        assertThat(port(server, "api")).isEqualTo(Integer.parseInt(option(args, "--port")));
        assertThat(port(server, "gateway"))
                .isEqualTo(Integer.parseInt(option(args, "--gateway-port")));
        assertThat(option(args, "--host")).isEqualTo("0.0.0.0");
        assertThat(server.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/ready");
        assertThat(server.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health");
        assertThat(server.getReadinessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("api");
        assertThat(server.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("api");
        assertThat(envNames(server))
                .contains(
                        "FLOWFN_S3_ACCESS_KEY",
                        "FLOWFN_S3_SECRET_KEY",
                        "FLOWFN_TOKEN",
                        "FLOWFN_S3_WEBHOOK_TOKEN");

        // --kafka-config names a file of the mounted Secret that holds it
        Path config = Path.of(option(args, "--kafka-config"));
        Deployment deployment = one(Deployment.class, "flowfn-server");
        String volume =
                server.getVolumeMounts().stream()
                        .filter(v -> Path.of(v.getMountPath()).equals(config.getParent()))
                        .findFirst()
                        .orElseThrow()
                        .getName();
        String secretName =
                deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                        .filter(v -> v.getName().equals(volume))
                        .findFirst()
                        .orElseThrow()
                        .getSecret()
                        .getSecretName();
        Secret secret = one(Secret.class, secretName);
        assertThat(secret.getStringData()).containsKey(config.getFileName().toString());
        assertThat(secret.getStringData().get("kafka.properties"))
                .contains("bootstrap.servers=" + bootstrap(true));
    }

    @Test
    void theServersServiceHpaAndDisruptionBudgetMatchItsDeployment() {
        Deployment deployment = one(Deployment.class, "flowfn-server");
        Map<String, String> podLabels =
                deployment.getSpec().getTemplate().getMetadata().getLabels();
        Service service = one(Service.class, "flowfn-server");
        HorizontalPodAutoscaler hpa = one(HorizontalPodAutoscaler.class, "flowfn-server");

        assertThat(podLabels).containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(podLabels)
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        for (ServicePort p : service.getSpec().getPorts()) {
            assertThat(port(container(deployment), p.getTargetPort().getStrVal())).isNotNull();
        }
        assertThat(hpa.getSpec().getScaleTargetRef().getApiVersion()).isEqualTo("apps/v1");
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("flowfn-server");
        assertThat(hpa.getSpec().getMinReplicas()).isGreaterThanOrEqualTo(2);
        assertThat(podLabels)
                .containsAllEntriesOf(
                        one(PodDisruptionBudget.class, "flowfn-server")
                                .getSpec()
                                .getSelector()
                                .getMatchLabels());
    }

    @Test
    void minioNotifiesTheGatewaysWebhookEndpoint() {
        Map<String, String> notify = one(ConfigMap.class, "flowfn-minio-notify").getData();
        String endpointKey =
                notify.keySet().stream()
                        .filter(k -> k.startsWith("MINIO_NOTIFY_WEBHOOK_ENDPOINT_"))
                        .findFirst()
                        .orElseThrow();
        String target = endpointKey.substring("MINIO_NOTIFY_WEBHOOK_ENDPOINT_".length());
        URI endpoint = URI.create(notify.get(endpointKey));
        Service server = one(Service.class, "flowfn-server");
        ServicePort gateway = servicePort(server, endpoint.getPort());

        assertThat(notify).containsEntry("MINIO_NOTIFY_WEBHOOK_ENABLE_" + target, "on");
        assertThat(endpoint.getHost()).isIn("flowfn-server", "flowfn-server." + NAMESPACE + ".svc");
        assertThat(gateway.getTargetPort().getStrVal()).isEqualTo("gateway");
        assertThat(endpoint.getPath()).isEqualTo(WEBHOOK_PATH);

        StatefulSet minio = one(StatefulSet.class, "flowfn-minio");
        Container container = minio.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnvFrom())
                .anyMatch(e -> e.getConfigMapRef().getName().equals("flowfn-minio-notify"));
        EnvVar token = env(container, "MINIO_NOTIFY_WEBHOOK_AUTH_TOKEN_" + target);
        // the token MinIO sends is the one the server checks
        assertThat(token.getValueFrom().getSecretKeyRef())
                .isEqualTo(
                        env(
                                        container(one(Deployment.class, "flowfn-server")),
                                        "FLOWFN_S3_WEBHOOK_TOKEN")
                                .getValueFrom()
                                .getSecretKeyRef());
        assertThat(minio.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(one(Service.class, "flowfn-minio").getSpec().getSelector());
        String setup = String.join("\n", container(one(Job.class, "flowfn-minio-setup")).getArgs());
        assertThat(setup).contains("arn:minio:sqs::" + target + ":webhook");
    }

    @Test
    void kafkaHasEveryPlatformTopicCompactedWhereTheCodeSays() {
        Map<String, KafkaTopic> topics = new TreeMap<>();
        for (KafkaTopic t : every(KafkaTopic.class)) {
            String name =
                    t.getSpec().getTopicName() == null
                            ? t.getMetadata().getName()
                            : t.getSpec().getTopicName();
            topics.put(name, t);
            assertThat(t.getMetadata().getLabels())
                    .containsEntry("strimzi.io/cluster", kafka().getMetadata().getName());
        }

        assertThat(topics.keySet()).containsAll(Topics.ALL);
        for (String name : Topics.ALL) {
            Object policy = topics.get(name).getSpec().getConfig().get("cleanup.policy");
            assertThat(policy)
                    .as(name)
                    .isEqualTo(Topics.COMPACTED.contains(name) ? "compact" : "delete");
        }
    }

    @Test
    void kafkaRunsTheProjectsVersionInKraftWithAnAuthenticatedTlsListener() {
        Kafka kafka = kafka();
        GenericKafkaListener listener = tlsListener();

        assertThat(kafka.getSpec().getKafka().getVersion())
                .isEqualTo(System.getProperty("flowfn.kafka.version"));
        assertThat(kafka.getMetadata().getAnnotations())
                .containsEntry("strimzi.io/kraft", "enabled");
        assertThat(every(KafkaNodePool.class))
                .extracting(p -> p.getSpec().getRoles().toString())
                .contains("[CONTROLLER]", "[BROKER]");
        assertThat(listener.getAuth().getType()).isIn("scram-sha-512", "tls");
        assertThat(kafka.getSpec().getKafka().getListeners()).allMatch(GenericKafkaListener::isTls);
    }

    @Test
    void connectReachesKafkaOverTlsAsItsUserAndItsTopicsAreNotTriggers() {
        KafkaConnect connect = one(KafkaConnect.class, "flowfn-triggers");
        var spec = connect.getSpec();

        assertThat(spec.getVersion()).isEqualTo(System.getProperty("flowfn.kafka.version"));
        assertThat(spec.getBootstrapServers()).isIn(bootstrap(false), bootstrap(true));
        assertThat(spec.getTls().getTrustedCertificates())
                .allMatch(
                        c ->
                                c.getSecretName()
                                        .equals(
                                                kafka().getMetadata().getName()
                                                        + "-cluster-ca-cert"));
        var auth = (KafkaClientAuthenticationScramSha512) spec.getAuthentication();
        assertThat(users()).contains(auth.getUsername());
        assertThat(auth.getPasswordSecret().getSecretName()).isEqualTo(auth.getUsername());
        for (String key :
                List.of("config.storage.topic", "offset.storage.topic", "status.storage.topic")) {
            String topic = String.valueOf(spec.getConfig().get(key));
            assertThat(TRIGGER_TOPICS.matcher(topic).matches())
                    .as("%s %s is read by the job", key, topic)
                    .isFalse();
        }
        assertThat(imageDockerfile("connect"))
                .contains("FROM quay.io/strimzi/kafka:")
                .contains("-kafka-" + spec.getVersion());
    }

    @Test
    void theJobRunsTheProjectsFlinkWithItsJarAndState() {
        String flink = System.getProperty("flowfn.flink.version");
        String[] v = flink.split("\\.");
        for (Manifest m : all) {
            if (!(m.model() instanceof FlinkDeployment job)) {
                continue;
            }
            var spec = job.getSpec();
            assertThat(m.name()).isEqualTo("flowfn-job");
            assertThat(m.tree().at("/spec/flinkVersion").asString())
                    .isEqualTo("v" + v[0] + "_" + v[1]);
            assertThat(spec.getJob().getEntryClass()).isEqualTo("dev.flowfn.job.FlowfnJob");
            assertThat(spec.getJob().getJarURI()).startsWith("local://");
            assertThat(imageDockerfile("job"))
                    .contains("FROM flink:" + flink + "-java17")
                    .contains(" " + URI.create(spec.getJob().getJarURI()).getPath());
            Map<String, String> conf = spec.getFlinkConfiguration();
            assertThat(conf.get("execution.checkpointing.dir")).startsWith("s3://");
            assertThat(conf.get("execution.checkpointing.savepoint-dir")).startsWith("s3://");
            assertThat(conf.get("high-availability.storageDir")).startsWith("s3://");
            Container main = spec.getPodTemplate().getSpec().getContainers().get(0);
            assertThat(main.getName()).isEqualTo("flink-main-container");
            assertThat(env(main, "ENABLE_BUILT_IN_PLUGINS").getValue())
                    .matches("flink-s3-fs-(hadoop|presto)-" + Pattern.quote(flink) + "\\.jar");

            List<String> args = List.of(spec.getJob().getArgs());
            assertThat(option(args, "--flowfn.kafka.bootstrap-servers"))
                    .isIn(bootstrap(false), bootstrap(true));
            assertThat(option(args, "--flowfn.kafka.properties.sasl.jaas.config"))
                    .startsWith("${dir:");
            assertThat(args).doesNotContain("--flowfn.s3.access-key", "--flowfn.s3.secret-key");
            boolean reactive = "REACTIVE".equals(conf.get("scheduler-mode"));
            assertThat(reactive || "true".equals(conf.get("job.autoscaler.enabled")))
                    .as(m.where())
                    .isTrue();
            if (!m.where().startsWith("alternatives/")) {
                assertThat(reactive).as("the default job scales in reactive mode").isTrue();
                assertThat(spec.getMode().name())
                        .isEqualTo("STANDALONE"); // what reactive mode needs
            }
            // worker processes must fit into the TaskManager container beside Flink
            long flinkMb =
                    Long.parseLong(
                            spec.getTaskManager().getResource().getMemory().replace("m", ""));
            double factor =
                    Double.parseDouble(conf.get("kubernetes.taskmanager.memory.limit-factor"));
            assertThat(Long.parseLong(option(args, "--flowfn.workers.memory-budget-mb")))
                    .isLessThanOrEqualTo((long) ((factor - 1) * flinkMb));
        }
    }

    @Test
    void everySecretIsMadeSomewhereAndNoneIsWrittenInline() throws IOException {
        Set<String> made = new TreeSet<>(USER_SECRETS);
        every(Secret.class).forEach(s -> made.add(s.getMetadata().getName()));
        made.addAll(users());
        made.add(kafka().getMetadata().getName() + "-cluster-ca-cert");
        List<String> referenced = new ArrayList<>();
        for (Manifest m : all) {
            secretNames(m.tree(), referenced);
            inlineSecrets(m.where(), "", m.tree());
        }

        assertThat(made).containsAll(referenced);
        String readme = Files.readString(Path.of(System.getProperty("flowfn.readme")));
        for (String secret : USER_SECRETS) {
            assertThat(readme)
                    .as("the README tells how to create %s", secret)
                    .contains("kubectl -n flowfn create secret generic " + secret);
        }
    }

    // --- helpers

    private static void secretNames(JsonNode node, List<String> out) {
        node.properties()
                .forEach(
                        field -> {
                            JsonNode value = field.getValue();
                            if (field.getKey().equals("secretName") && value.isString()) {
                                out.add(value.asString());
                            } else if ((field.getKey().equals("secretKeyRef")
                                            || field.getKey().equals("secretRef"))
                                    && value.has("name")) {
                                out.add(value.get("name").asString());
                            }
                        });
        node.values().forEach(child -> secretNames(child, out));
    }

    /** Fails on an env var named like a secret with a literal value, or a literal JAAS config. */
    private static void inlineSecrets(String where, String key, JsonNode node) {
        if (node.isObject()
                && node.has("name")
                && node.has("value")
                && node.get("name").asString().matches(".*(PASSWORD|SECRET|TOKEN|ACCESS_KEY).*")) {
            throw new AssertionError(
                    where + ": " + node.get("name").asString() + " has a literal value");
        }
        if (node.isString()) {
            for (String line : node.asString().split("\n")) {
                if (line.matches("(sasl\\.jaas\\.config|.*password)=.*") && !line.contains("=${")) {
                    throw new AssertionError(
                            where
                                    + ": "
                                    + key
                                    + " writes a secret inline: "
                                    + line.replaceAll("=.*", "=..."));
                }
            }
        }
        node.properties().forEach(f -> inlineSecrets(where, f.getKey(), f.getValue()));
        if (node.isArray()) {
            node.values().forEach(child -> inlineSecrets(where, key, child));
        }
    }

    private static <T extends HasMetadata> List<T> every(Class<T> type) {
        return all.stream().filter(m -> type.isInstance(m.model())).map(m -> m.as(type)).toList();
    }

    private static <T extends HasMetadata> T one(Class<T> type, String name) {
        List<T> found =
                every(type).stream().filter(r -> name.equals(r.getMetadata().getName())).toList();
        assertThat(found).as("%s %s", type.getSimpleName(), name).hasSize(1);
        return found.get(0);
    }

    private static Kafka kafka() {
        List<Kafka> kafkas = every(Kafka.class);
        assertThat(kafkas).hasSize(1);
        return kafkas.get(0);
    }

    private static GenericKafkaListener tlsListener() {
        return kafka().getSpec().getKafka().getListeners().stream()
                .filter(GenericKafkaListener::isTls)
                .findFirst()
                .orElseThrow();
    }

    /** The address of the TLS listener: Strimzi's bootstrap Service, short or namespaced. */
    private static String bootstrap(boolean namespaced) {
        String host =
                kafka().getMetadata().getName()
                        + "-kafka-bootstrap"
                        + (namespaced ? "." + NAMESPACE + ".svc" : "");
        return host + ":" + tlsListener().getPort();
    }

    private static Set<String> users() {
        Set<String> users = new TreeSet<>();
        every(KafkaUser.class).forEach(u -> users.add(u.getMetadata().getName()));
        return users;
    }

    private static Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Container container(Job j) {
        return j.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    private static Integer port(Container c, String name) {
        return c.getPorts().stream()
                .filter(p -> name.equals(p.getName()))
                .map(ContainerPort::getContainerPort)
                .findFirst()
                .orElse(null);
    }

    private static ServicePort servicePort(Service s, int port) {
        return s.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == port)
                .findFirst()
                .orElseThrow();
    }

    private static EnvVar env(Container c, String name) {
        return c.getEnv().stream()
                .filter(e -> e.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name));
    }

    private static List<String> envNames(Container c) {
        return c.getEnv().stream().map(EnvVar::getName).toList();
    }

    /** The value after {@code option} in {@code args}. */
    private static String option(List<String> args, String option) {
        int i = args.indexOf(option);
        assertThat(i).as("%s in %s", option, args).isNotNegative().isLessThan(args.size() - 1);
        return args.get(i + 1);
    }

    private static String imageDockerfile(String image) {
        try {
            return Files.readString(
                    Path.of(System.getProperty("flowfn.images"), image, "Dockerfile"));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
