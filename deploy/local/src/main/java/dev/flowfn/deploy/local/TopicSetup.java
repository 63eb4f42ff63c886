package dev.flowfn.deploy.local;

import dev.flowfn.kafka.KafkaClientConfig;
import dev.flowfn.kafka.KafkaClientFailure;
import dev.flowfn.schemas.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates the platform's topics that do not exist yet (compacted where the design says so): what
 * {@code flowfn local} does on its broker and {@code flowfn submit} on the cluster's. Each gets
 * {@link #replicas} copies: 3 on a cluster of three or more brokers, one per broker below that.
 */
public final class TopicSetup {

    static final int PARTITIONS = 2;

    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

    /** Creates the missing topics; returns their names (none if every topic exists). */
    public static List<String> ensure(KafkaClientConfig kafka) throws Exception {
        try (Admin admin = Admin.create(kafka.adminProperties())) {
            Set<String> existing;
            try {
                existing =
                        admin.listTopics()
                                .names()
                                .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new IllegalStateException(
                        KafkaClientFailure.noAnswer(kafka, ANSWER_TIMEOUT), e);
            }
            int brokers =
                    admin.describeCluster()
                            .nodes()
                            .get(ANSWER_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                            .size();
            List<NewTopic> missing = new ArrayList<>();
            for (String name : Topics.ALL) {
                if (existing.contains(name)) {
                    continue;
                }
                boolean compacted = Topics.COMPACTED.contains(name);
                NewTopic topic = new NewTopic(name, compacted ? 1 : PARTITIONS, replicas(brokers));
                if (compacted) {
                    topic.configs(Map.of("cleanup.policy", "compact"));
                }
                missing.add(topic);
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
            return missing.stream().map(NewTopic::name).toList();
        }
    }

    /** Copies of each topic on a cluster of {@code brokers}: at most 3. */
    static short replicas(int brokers) {
        return (short) Math.max(1, Math.min(3, brokers));
    }

    private TopicSetup() {}
}
