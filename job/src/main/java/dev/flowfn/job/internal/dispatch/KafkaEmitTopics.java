package dev.flowfn.job.internal.dispatch;

import dev.flowfn.kafka.KafkaClientConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link EmitTopics} that asks the Kafka cluster. A topic seen to exist is remembered for good; a
 * missing one is asked about again after {@link #RECHECK}, so an invocation retried after someone
 * created it goes through. On a cluster that creates topics on first use ({@code
 * auto.create.topics.enable}, as the local broker does) a missing topic is fine. When the cluster
 * cannot be asked, the record is let through: the sink then decides, as it did before.
 */
final class KafkaEmitTopics implements EmitTopics, AutoCloseable {

    static final Duration RECHECK = Duration.ofSeconds(5);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(KafkaEmitTopics.class);

    private final Admin admin;
    private final Set<String> existing = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> missingUntilNanos = new ConcurrentHashMap<>();
    private volatile Boolean createsTopics;

    KafkaEmitTopics(KafkaClientConfig kafka) {
        this.admin =
                Admin.create(
                        kafka.adminProperties(
                                Map.of(
                                        AdminClientConfig.CLIENT_ID_CONFIG,
                                        "flowfn-emit-topics",
                                        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                                        (int) ASK_TIMEOUT.toMillis(),
                                        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                                        (int) ASK_TIMEOUT.toMillis())));
    }

    @Override
    public Optional<String> problem(Collection<String> topics) {
        for (String topic : topics) {
            if (!existing.contains(topic) && !writable(topic)) {
                return Optional.of(
                        "emitted to topic '"
                                + topic
                                + "', which does not exist, and the Kafka cluster does not create"
                                + " topics on first use; create it (kafka-topics.sh --create --topic "
                                + topic
                                + ") or emit to an existing topic");
            }
        }
        return Optional.empty();
    }

    private boolean writable(String topic) {
        Long until = missingUntilNanos.get(topic);
        if (until != null && System.nanoTime() - until < 0) {
            return false;
        }
        try {
            admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            existing.add(topic);
            missingUntilNanos.remove(topic);
            return true;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                return cannotTell(topic, e.getCause());
            }
        } catch (TimeoutException e) {
            return cannotTell(topic, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
        if (createsTopics()) {
            existing.add(topic);
            return true;
        }
        missingUntilNanos.put(topic, System.nanoTime() + RECHECK.toNanos());
        return false;
    }

    private static boolean cannotTell(String topic, Throwable why) {
        LOG.warn("could not ask Kafka whether topic {} exists ({}); writing anyway", topic, why);
        return true;
    }

    /** The cluster's {@code auto.create.topics.enable}, as one broker reports it; asked once. */
    private boolean createsTopics() {
        Boolean known = createsTopics;
        if (known != null) {
            return known;
        }
        boolean creates;
        try {
            Collection<Node> nodes =
                    admin.describeCluster()
                            .nodes()
                            .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            ConfigResource broker =
                    new ConfigResource(
                            ConfigResource.Type.BROKER,
                            String.valueOf(nodes.iterator().next().id()));
            Config config =
                    admin.describeConfigs(List.of(broker))
                            .all()
                            .get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                            .get(broker);
            ConfigEntry entry = config.get("auto.create.topics.enable");
            creates = entry != null && Boolean.parseBoolean(entry.value());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            // not allowed to read broker configs, say: treat a missing topic as missing
            LOG.warn(
                    "could not read auto.create.topics.enable from Kafka ({}); assuming false",
                    e.toString());
            creates = false;
        }
        createsTopics = creates;
        return creates;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
