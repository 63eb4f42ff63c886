package dev.flowfn.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FunctionVersionsTest {

    @Test
    void aTenPercentSplitOverAThousandKeysLandsNearTenPercentAndSticks() {
        Alias prod = alias("prod", 3, 4L, 10);
        Map<String, Long> first = new HashMap<>();
        int canary = 0;
        for (int i = 0; i < 1000; i++) {
            String key = "device-" + i;
            long v = FunctionVersions.route(prod, key);
            first.put(key, v);
            if (v == 4) {
                canary++;
            }
        }
        assertThat(canary).isBetween(70, 130);
        for (int round = 0; round < 3; round++) {
            first.forEach((k, v) -> assertThat(FunctionVersions.route(prod, k)).isEqualTo(v));
        }
    }

    @Test
    void bucketsSpreadEvenlyOverShortSimilarKeys() {
        int[] counts = new int[FunctionVersions.BUCKETS];
        for (int i = 0; i < 100_000; i++) {
            counts[FunctionVersions.bucket(Integer.toString(i))]++;
        }
        for (int c : counts) {
            assertThat(c).isBetween(850, 1150);
        }
    }

    @Test
    void anAliasWithoutASplitSendsEverythingToItsVersion() {
        Alias prod = alias("prod", 3, null, 0);
        assertThat(FunctionVersions.route(prod, "a")).isEqualTo(3);
        assertThat(FunctionVersions.route(alias("prod", 3, 4L, 0), "a")).isEqualTo(3);
    }

    @Test
    void keptVersionsAndAliasesAreReadFromTheLatestRecord() {
        FunctionSpec v1 = spec(1, List.of(), List.of());
        FunctionSpec v2 = spec(2, List.of(), List.of());
        FunctionSpec head =
                spec(
                        3,
                        List.of(alias("prod", 2, 3L, 25), alias("old", 1, null, 0)),
                        List.of(v2, v1));
        assertThat(FunctionVersions.keptNumbers(head)).containsExactly(3L, 2L, 1L);
        assertThat(FunctionVersions.version(head, 2)).isSameAs(v2);
        assertThat(FunctionVersions.version(head, 7)).isNull();
        assertThat(FunctionVersions.aliasesOf(head, 2)).containsExactly("prod(75%)");
        assertThat(FunctionVersions.aliasesOf(head, 3)).containsExactly("prod(25%)");
        assertThat(FunctionVersions.aliasesOf(head, 1)).containsExactly("old");
        assertThat(FunctionVersions.alias(head, "nope")).isNull();
        assertThat(FunctionVersions.alone(head).getHistory()).isEmpty();
        assertThat(FunctionVersions.alone(head).getAliases()).isEmpty();
        assertThat(FunctionVersions.alone(head).getVersion()).isEqualTo(3);
    }

    @Test
    void aLatestRecordWithHistoryRoundTripsThroughTheCodec() {
        FunctionSpec head =
                spec(2, List.of(alias("prod", 1, 2L, 10)), List.of(spec(1, List.of(), List.of())));
        AvroCodec<FunctionSpec> codec = AvroCodec.of(FunctionSpec.class);
        assertThat(codec.decode(codec.encode(head))).isEqualTo(head);
    }

    static Alias alias(String name, long version, Long canary, int weight) {
        return Alias.newBuilder()
                .setName(name)
                .setVersion(version)
                .setCanaryVersion(canary)
                .setCanaryWeight(weight)
                .build();
    }

    static FunctionSpec spec(long version, List<Alias> aliases, List<FunctionSpec> history) {
        return FunctionSpec.newBuilder()
                .setName("resize")
                .setVersion(version)
                .setHandler("a.B")
                .setCodeUri("s3://code/resize/" + version + ".jar")
                .setCodeSha256("00")
                .setRetry(RetryPolicy.newBuilder().build())
                .setDeployedAt(Instant.ofEpochMilli(1000 * version))
                .setAliases(aliases)
                .setHistory(history)
                .build();
    }
}
