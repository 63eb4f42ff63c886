package dev.flowfn.deploy.local;

import dev.flowfn.deploy.local.engines.KafkaBrokerProcess;

/**
 * The platform's Kafka: a KRaft broker in a child JVM under the data folder, or the external
 * cluster given with {@code --kafka}, which is never stopped here.
 */
final class LocalKafka implements AutoCloseable {

    private final String bootstrap;
    private final KafkaBrokerProcess broker; // null when external

    private LocalKafka(String bootstrap, KafkaBrokerProcess broker) {
        this.bootstrap = bootstrap;
        this.broker = broker;
    }

    static LocalKafka start(LocalSettings settings) throws Exception {
        if (settings.externalKafka() != null) {
            return new LocalKafka(settings.externalKafka(), null);
        }
        DataDir dir = settings.dataDir();
        KafkaBrokerProcess broker =
                KafkaBrokerProcess.start(dir.kafka(), dir.logs().resolve("kafka.log"));
        return new LocalKafka(broker.bootstrapServers(), broker);
    }

    String bootstrap() {
        return bootstrap;
    }

    /** What the start-up report says. */
    String describe() {
        return broker == null ? "external, " + bootstrap : bootstrap;
    }

    @Override
    public void close() {
        if (broker != null) {
            broker.close();
        }
    }
}
