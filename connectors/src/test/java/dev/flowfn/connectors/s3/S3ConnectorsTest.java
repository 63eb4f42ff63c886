package dev.flowfn.connectors.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;

/** Configuration, discovery and the checkpoint, without a store or a broker. */
class S3ConnectorsTest {

    @Test
    void theWorkerFindsBothConnectors() {
        // the worker runs with plugin.discovery=service_load
        assertThat(
                        ServiceLoader.load(SourceConnector.class).stream()
                                .<Object>map(p -> p.type())
                                .toList())
                .contains(S3PollSourceConnector.class, MinioListenSourceConnector.class);
    }

    @Test
    void badSettingsNameTheSettingAndNeverEchoCredentials() {
        Map<String, String> p = new HashMap<>(Map.of(S3SourceConfig.BUCKET, "photos"));
        p.put(S3SourceConfig.ENDPOINT, "ftp://store");
        assertThatThrownBy(() -> new S3PollSourceConnector().start(p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("s3.endpoint")
                .hasMessageContaining("http(s)://host[:port]");
        p.put(S3SourceConfig.ENDPOINT, "http://admin:hunter22@store:9000");
        assertThatThrownBy(() -> new MinioListenSourceConnector().start(p))
                .hasMessageContaining("must not hold credentials")
                .hasMessageNotContaining("hunter22");
        p.put(S3SourceConfig.ENDPOINT, "http://store:9000");
        p.put(S3SourceConfig.BUCKET, "");
        assertThatThrownBy(() -> new S3PollSourceConnector().start(p))
                .hasMessageContaining("s3.bucket");
    }

    @Test
    void theSecretIsHiddenInTheConfigsOwnPrinting() {
        S3SourceConfig c =
                new S3SourceConfig(
                        S3SourceConfig.POLL,
                        Map.of(
                                S3SourceConfig.ENDPOINT, "http://store:9000",
                                S3SourceConfig.BUCKET, "photos",
                                S3SourceConfig.SECRET_KEY, "hunter22"));
        assertThat(c.toString() + c.values()).doesNotContain("hunter22");
        assertThat(c.secretKey()).isEqualTo("hunter22");
    }

    @Test
    void aCheckpointRemembersVersionsWithinTheLookbackAndSurvivesItsOffset() {
        ListingCheckpoint cp = ListingCheckpoint.empty(1000);
        assertThat(cp.started()).isFalse();
        cp.record("a.jpg", "e1", 10_000);
        cp.record("b.jpg", "e2", 10_500);
        assertThat(cp.isNew("a.jpg", "e1", 10_000)).isFalse();
        assertThat(cp.isNew("a.jpg", "e9", 10_000)).as("changed content").isTrue();
        assertThat(cp.isNew("a.jpg", "e1", 10_700)).as("re-uploaded").isTrue();

        ListingCheckpoint restored = ListingCheckpoint.fromOffset(cp.toOffset(), 1000);
        assertThat(restored.started()).isTrue();
        assertThat(restored.isNew("b.jpg", "e2", 10_500)).isFalse();
        assertThat(restored.isNew("c.jpg", "e3", 10_400)).as("late but within lookback").isTrue();

        restored.record("z.jpg", "e4", 12_000); // watermark moves: older ones are forgotten
        assertThat(restored.remembered()).isEqualTo(1);
        assertThat(restored.isNew("old.jpg", "e5", 10_900))
                .as("older than the lookback: taken as seen")
                .isFalse();
    }

    @Test
    void aForeignOffsetIsRefusedWithTheFix() {
        assertThatThrownBy(() -> ListingCheckpoint.fromOffset(Map.of("position", 3L), 1000))
                .hasMessageContaining("delete this connector's offsets");
    }

    @Test
    void listedObjectsCarryMinioStyleSequencers() {
        var e = S3Objects.listed("photos", "k.jpg", 3, "abc", 1_700_000_000_123L);
        assertThat(e.sequencer())
                .isEqualTo(Long.toHexString(1_700_000_000_123L * 1_000_000L).toUpperCase());
        assertThat(MinioListenSourceTask.modifiedMillis(e)).isEqualTo(1_700_000_000_123L);
        assertThat(S3Objects.unquote("\"abc\"")).isEqualTo("abc");
        assertThat(List.of(e.toEvent().getId()))
                .containsExactly("s3:photos/k.jpg@" + e.sequencer() + ":s3:ObjectCreated:Put");
    }
}
