package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;
import dev.flowfn.kafka.KafkaClientConfig;

/**
 * The platform's Kafka: a KRaft broker in a child JVM under the data folder, or the external
 * cluster given with {@code --kafka} or {@code --kafka-config}, which is never stopped here.
 */
final class LocalKafka implements AutoCloseable {

    private final KafkaClientConfig client;
    private final KafkaBrokerProcess broker; // null when external

    private LocalKafka(KafkaClientConfig client, KafkaBrokerProcess broker) {
        this.client = client;
        this.broker = broker;
    }

    static LocalKafka start(LocalSettings settings) throws Exception {
        if (settings.externalKafka() != null) {
            return new LocalKafka(settings.externalKafka(), null);
        }
        DataDir dir = settings.dataDir();
        KafkaBrokerProcess broker =
                KafkaBrokerProcess.start(dir.kafka(), dir.logs().resolve("kafka.log"));
        return new LocalKafka(KafkaClientConfig.of(broker.bootstrapServers()), broker);
    }

    String bootstrap() {
        return client.bootstrapServers();
    }

    /** How every component reaches this Kafka. */
    KafkaClientConfig client() {
        return client;
    }

    /** What the start-up report says. */
    String describe() {
        return broker == null ? "external, " + bootstrap() : bootstrap();
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
