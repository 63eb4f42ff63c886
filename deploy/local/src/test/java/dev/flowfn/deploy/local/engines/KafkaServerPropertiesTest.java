package dev.flowfn.deploy.local.engines;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaServerPropertiesTest {

    @Test
    void aSingleNodeKeepsOneCopyOfEverything() {
        Map<String, String> p =
                KafkaBrokerProcess.serverProperties(9092, 9093, Path.of("/data/kafka"));
        assertThat(p)
                .containsEntry("node.id", "1")
                .containsEntry("controller.quorum.voters", "1@127.0.0.1:9093")
                .containsEntry("default.replication.factor", "1")
                .containsEntry("min.insync.replicas", "1")
                .containsEntry("transaction.state.log.min.isr", "1");
    }

    @Test
    void transactionalIdsAreForgottenAnHourAfterTheirLastUse() {
        // the sinks take a new id per checkpoint: Kafka's 7 days would keep 604,800 per sink
        // subtask at 1 s checkpoints; an hour is still far past the transaction timeout
        Map<String, String> p =
                KafkaBrokerProcess.serverProperties(9092, 9093, Path.of("/data/kafka"));
        assertThat(Long.parseLong(p.get("transactional.id.expiration.ms")))
                .isEqualTo(3_600_000L)
                .isGreaterThan(Long.parseLong(p.get("transaction.max.timeout.ms")));
    }

    @Test
    void aQuorumNodeNamesEveryVoterAndReplicatesWithTwoInSync() {
        String voters = "1@127.0.0.1:9001,2@127.0.0.1:9002,3@127.0.0.1:9003";
        Map<String, String> p =
                KafkaBrokerProcess.serverProperties(
                        2, 9102, 9002, voters, Path.of("/data/node-2"), 3);
        assertThat(p)
                .containsEntry("node.id", "2")
                .containsEntry("controller.quorum.voters", voters)
                .containsEntry(
                        "listeners", "PLAINTEXT://127.0.0.1:9102,CONTROLLER://127.0.0.1:9002")
                .containsEntry("default.replication.factor", "3")
                .containsEntry("offsets.topic.replication.factor", "3")
                .containsEntry("transaction.state.log.replication.factor", "3")
                .containsEntry("min.insync.replicas", "2")
                .containsEntry("transaction.state.log.min.isr", "2");
    }
}
