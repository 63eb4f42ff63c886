package dev.flowfn.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.RetryPolicy;
import dev.flowfn.schemas.TriggerSpecs;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeployedFunctionTest {

    @Test
    void resolvesTheLatestAPinnedVersionAndAnAlias() {
        DeployedFunction f =
                DeployedFunction.of(record(3, List.of(alias("prod", 2, null, 0))), null);
        assertThat(f.resolve(null, "k").getVersion()).isEqualTo(3);
        assertThat(f.resolve("1", "k").getVersion()).isEqualTo(1);
        assertThat(f.resolve("prod", "k").getVersion()).isEqualTo(2);
        assertThat(f.resolve("9", "k")).isNull();
        assertThat(f.unresolved("9")).contains("version 9 of 'resize' is not kept");
        assertThat(f.resolve("beta", "k")).isNull();
        assertThat(f.unresolved("beta"))
                .contains("has no alias 'beta'")
                .contains("flowfn alias set resize beta VERSION");
    }

    @Test
    void aSplitSendsEachKeyToOneVersion() {
        DeployedFunction f =
                DeployedFunction.of(record(3, List.of(alias("prod", 2, 3L, 50))), null);
        int canary = 0;
        for (int i = 0; i < 400; i++) {
            long v = f.resolve("prod", "key-" + i).getVersion();
            assertThat(f.resolve("prod", "key-" + i).getVersion()).isEqualTo(v);
            canary += v == 3 ? 1 : 0;
        }
        assertThat(canary).isBetween(150, 250);
    }

    @Test
    void versionsKeepTheirIdentityAcrossAnAliasMove() {
        DeployedFunction before =
                DeployedFunction.of(record(3, List.of(alias("prod", 2, null, 0))), null);
        DeployedFunction after =
                DeployedFunction.of(record(3, List.of(alias("prod", 3, null, 0))), before);
        for (long v = 1; v <= 3; v++) {
            assertThat(after.version(v)).isSameAs(before.version(v));
        }
        assertThat(after.resolve("prod", "k").getVersion()).isEqualTo(3);
        assertThat(after.latest().getAliases()).isEmpty();
        assertThat(after.latest().getHistory()).isEmpty();
    }

    @Test
    void triggersRunTheVersionTheyName() {
        TriggerIndex index = new TriggerIndex();
        index.put(
                record(
                        3,
                        List.of(alias("prod", 2, null, 0)),
                        "kafka:topic=orders,alias=prod",
                        "kafka:topic=audit,version=1",
                        "kafka:topic=all"));
        assertThat(resolved(index, "orders")).isEqualTo(2);
        assertThat(resolved(index, "audit")).isEqualTo(1);
        assertThat(resolved(index, "all")).isEqualTo(3);
    }

    private static long resolved(TriggerIndex index, String topic) {
        Target t = index.forTopic(topic).get(0);
        return t.function().resolve(t.qualifier(), "k").getVersion();
    }

    static Alias alias(String name, long version, Long canary, int weight) {
        return Alias.newBuilder()
                .setName(name)
                .setVersion(version)
                .setCanaryVersion(canary)
                .setCanaryWeight(weight)
                .build();
    }

    private static FunctionSpec record(long latest, List<Alias> aliases, String... triggers) {
        List<FunctionSpec> history = new java.util.ArrayList<>();
        for (long v = latest - 1; v >= 1; v--) {
            history.add(version(v).build());
        }
        return version(latest)
                .setAliases(aliases)
                .setHistory(history)
                .setTriggers(java.util.Arrays.stream(triggers).map(TriggerSpecs::parse).toList())
                .build();
    }

    private static FunctionSpec.Builder version(long v) {
        return FunctionSpec.newBuilder()
                .setName("resize")
                .setVersion(v)
                .setHandler("x.Y")
                .setCodeUri("s3://code/" + v + ".jar")
                .setCodeSha256("sha" + v)
                .setRetry(RetryPolicy.newBuilder().build())
                .setDeployedAt(Instant.ofEpochMilli(v));
    }
}
