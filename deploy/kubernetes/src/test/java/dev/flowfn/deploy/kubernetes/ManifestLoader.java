package dev.flowfn.deploy.kubernetes;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.strimzi.api.kafka.model.connect.KafkaConnect;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.flink.kubernetes.operator.api.FlinkDeployment;
import org.apache.flink.kubernetes.operator.api.spec.FlinkVersion;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.deser.DeserializationProblemHandler;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.AnnotatedMember;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads every manifest of a folder into the model classes of the operator that owns its kind:
 * fabric8's for core Kubernetes kinds, Strimzi's for Kafka, the Flink Kubernetes Operator's for
 * FlinkDeployment. A kind it does not know, a field the model does not have, or a value of the
 * wrong type is an error naming the file, the document and the field.
 *
 * <p>The models are lenient on purpose (an operator must read resources written for a newer version
 * of itself): fabric8 and Strimzi keep unknown fields in {@code additionalProperties}, the Flink
 * operator's specs are {@code @JsonIgnoreProperties(ignoreUnknown = true)}. The mapper here turns
 * both off, so an unknown field fails like {@code kubectl apply} against the CRD's schema would.
 * After reading, the model is written back and every field and value of the file must be there
 * unchanged: that catches what Jackson coerces silently (a number where a string belongs).
 */
final class ManifestLoader {

    /** The Strimzi API version the manifests are written for (served by Strimzi 0.43 to 0.51). */
    static final String STRIMZI_API = "kafka.strimzi.io/v1beta2";

    /**
     * Flink versions the target operator (1.13.0 and later) accepts in {@code spec.flinkVersion}
     * that the 1.10.0 model, the newest one Maven Central serves here, does not know. Taken from
     * the enum of {@code spec.flinkVersion} in the operator's CRD at tag release-1.14.0
     * (helm/flink-kubernetes-operator/crds/flinkdeployments.flink.apache.org-v1.yml). That CRD's
     * spec schema differs from 1.10.0's only by these values, by {@code flinkConfiguration} also
     * taking nested objects (the manifests use flat strings, which both take) and by {@code
     * job.autoscalerResetNonce}; so the 1.10.0 classes check every other field.
     */
    static final Set<String> NEWER_FLINK_VERSIONS = Set.of("v2_0", "v2_1", "v2_2");

    /** apiVersion/kind of every kind the manifests may hold, and the class that reads it. */
    private static final Map<String, Class<?>> KINDS = kinds();

    private final YAMLMapper yaml;

    ManifestLoader() {
        this.yaml =
                YAMLMapper.builder()
                        .annotationIntrospector(new StrictIntrospector())
                        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                        .disable(MapperFeature.USE_GETTERS_AS_SETTERS)
                        .addHandler(new NewerFlinkVersions())
                        .build();
    }

    /**
     * Every {@code .yaml} file in {@code folder} and its subfolders, each document read into its
     * model.
     */
    List<Manifest> loadFolder(Path folder) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files =
                    walk.filter(Files::isRegularFile)
                            .filter(p -> p.getFileName().toString().matches(".*\\.ya?ml"))
                            .sorted()
                            .toList();
        }
        if (files.isEmpty()) {
            throw new IllegalStateException("no manifest (*.yaml) in " + folder.toAbsolutePath());
        }
        List<Manifest> all = new ArrayList<>();
        for (Path file : files) {
            all.addAll(load(folder.relativize(file).toString(), Files.readString(file)));
        }
        return all;
    }

    /** The documents of one file's text; {@code name} is for messages. */
    List<Manifest> load(String name, String text) {
        List<Manifest> out = new ArrayList<>();
        int index = 0;
        try (var documents = yaml.readValues(yaml.createParser(text), JsonNode.class)) {
            while (documents.hasNext()) {
                JsonNode tree = documents.next();
                index++;
                if (tree == null || tree.isNull() || tree.isMissingNode()) {
                    continue; // an empty document (a trailing ---)
                }
                out.add(read(name + " document " + index, tree));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(name + " holds no manifest");
        }
        return out;
    }

    private Manifest read(String where, JsonNode tree) {
        String apiVersion = tree.path("apiVersion").asString("");
        String kind = tree.path("kind").asString("");
        Class<?> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            throw new IllegalArgumentException(
                    where
                            + ": kind '"
                            + kind
                            + "' of apiVersion '"
                            + apiVersion
                            + "' is not one this test knows; known: "
                            + new TreeSet<>(KINDS.keySet()));
        }
        HasMetadata model;
        try {
            model = (HasMetadata) yaml.treeToValue(tree, type);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + " (" + kind + "): " + e.getMessage(), e);
        }
        ObjectNode written = yaml.valueToTree(model);
        // the kind and its version picked the model above; some models write their newest version
        written.set("apiVersion", tree.get("apiVersion"));
        written.set("kind", tree.get("kind"));
        List<String> lost = new ArrayList<>();
        compare("", tree, written, lost);
        if (model instanceof FlinkDeployment) {
            // read as null by NewerFlinkVersions; KubernetesManifestsTest checks the value
            lost.removeIf(path -> path.startsWith("spec.flinkVersion "));
        }
        if (!lost.isEmpty()) {
            throw new IllegalArgumentException(
                    where
                            + " ("
                            + kind
                            + "): the "
                            + kind
                            + " model does not keep "
                            + lost
                            + " as written (a value of the wrong type?)");
        }
        return new Manifest(where, model, tree);
    }

    /** Adds to {@code lost} each path of {@code original} that {@code written} lacks or changed. */
    private static void compare(
            String path, JsonNode original, JsonNode written, List<String> lost) {
        if (original.isObject()) {
            if (!written.isObject()) {
                lost.add(path.isEmpty() ? "(document)" : path);
                return;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = original.properties().iterator();
                    it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                JsonNode other = written.get(field.getKey());
                if (other == null && isJavaDefault(field.getValue())) {
                    continue; // the model leaves out false and 0 when it writes
                }
                if (other == null) {
                    lost.add(
                            field.getValue().isValueNode()
                                    ? child + " (" + field.getValue() + " was dropped)"
                                    : child);
                } else {
                    compare(child, field.getValue(), other, lost);
                }
            }
        } else if (original.isArray()) {
            if (!written.isArray() || written.size() != original.size()) {
                lost.add(path);
                return;
            }
            for (int i = 0; i < original.size(); i++) {
                compare(path + "[" + i + "]", original.get(i), written.get(i), lost);
            }
        } else if (!sameScalar(original, written)) {
            lost.add(path + " (" + original + " became " + written + ")");
        }
    }

    private static boolean isJavaDefault(JsonNode value) {
        return (value.isBoolean() && !value.booleanValue())
                || (value.isIntegralNumber() && value.longValue() == 0);
    }

    private static boolean sameScalar(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return a.getNodeType() == b.getNodeType() && a.equals(b);
    }

    /** One document of a manifest file, read into its model. */
    record Manifest(String where, HasMetadata model, JsonNode tree) {

        String kind() {
            return tree.path("kind").asString();
        }

        String name() {
            return model.getMetadata() == null ? null : model.getMetadata().getName();
        }

        <T> T as(Class<T> type) {
            return type.cast(model);
        }
    }

    private static Map<String, Class<?>> kinds() {
        Map<String, Class<?>> kinds = new LinkedHashMap<>();
        for (Class<? extends HasMetadata> core :
                List.of(
                        Namespace.class,
                        Secret.class,
                        ConfigMap.class,
                        Service.class,
                        ServiceAccount.class,
                        PersistentVolumeClaim.class,
                        Deployment.class,
                        StatefulSet.class,
                        Job.class,
                        HorizontalPodAutoscaler.class,
                        PodDisruptionBudget.class,
                        NetworkPolicy.class,
                        Role.class,
                        RoleBinding.class)) {
            kinds.put(HasMetadata.getApiVersion(core) + "/" + HasMetadata.getKind(core), core);
        }
        for (Class<? extends HasMetadata> strimzi :
                List.of(
                        Kafka.class,
                        KafkaNodePool.class,
                        KafkaTopic.class,
                        KafkaUser.class,
                        KafkaConnect.class)) {
            if (!STRIMZI_API.startsWith(HasMetadata.getGroup(strimzi) + "/")) {
                throw new IllegalStateException(strimzi + " is not of " + STRIMZI_API);
            }
            kinds.put(STRIMZI_API + "/" + HasMetadata.getKind(strimzi), strimzi);
        }
        kinds.put(
                HasMetadata.getApiVersion(FlinkDeployment.class) + "/FlinkDeployment",
                FlinkDeployment.class);
        return kinds;
    }

    /**
     * Jackson's own annotations, less what makes a model accept unknown fields: any-setters ({@code
     * additionalProperties}) and {@code ignoreUnknown = true}.
     */
    private static final class StrictIntrospector extends JacksonAnnotationIntrospector {

        @Override
        public Boolean hasAnySetter(MapperConfig<?> config, Annotated a) {
            return Boolean.FALSE;
        }

        /** Nor is the map of unknown fields a field of the manifest. */
        @Override
        public boolean hasIgnoreMarker(MapperConfig<?> config, AnnotatedMember m) {
            return m.getName().matches("(get|set)?[aA]dditionalPropert(y|ies)")
                    || super.hasIgnoreMarker(config, m);
        }

        @Override
        public JsonIgnoreProperties.Value findPropertyIgnoralByName(
                MapperConfig<?> config, Annotated a) {
            JsonIgnoreProperties.Value value = super.findPropertyIgnoralByName(config, a);
            return value == null ? null : value.withoutIgnoreUnknown();
        }
    }

    /** Reads a {@code spec.flinkVersion} in {@link #NEWER_FLINK_VERSIONS} as null. */
    private static final class NewerFlinkVersions extends DeserializationProblemHandler {

        @Override
        public Object handleWeirdStringValue(
                DeserializationContext ctxt, Class<?> targetType, String value, String failureMsg) {
            if (targetType == FlinkVersion.class && NEWER_FLINK_VERSIONS.contains(value)) {
                return null;
            }
            return NOT_HANDLED;
        }
    }
}
