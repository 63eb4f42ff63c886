package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.DeployRequest;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Versions kept, aliases set, split, moved back and deleted, on an in-memory registry. */
class AliasServiceTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final InMemoryRegistry registry = new InMemoryRegistry();
    private final InMemoryCode code = new InMemoryCode();
    private final RegistryWrites writes = new RegistryWrites(registry, code);
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final DeployService deploys = new DeployService(writes, code, s -> {}, clock);
    private final AliasService aliases = new AliasService(writes, clock);

    @Test
    void aDeployKeepsTheNewestVersionsAndDeletesTheCodeOfTheOthers() {
        for (int i = 1; i <= 4; i++) {
            deploy(request(null, 3), i);
        }
        FunctionSpec head = registry.existing("upper");
        assertThat(FunctionVersions.keptNumbers(head)).containsExactly(4L, 3L, 2L);
        assertThat(code.jars).hasSize(3);
        assertThat(code.calls).filteredOn(c -> c.startsWith("delete")).hasSize(1);
    }

    @Test
    void aVersionAnAliasUsesIsKeptBeyondTheCount() {
        deploy(request(null, 2), 1);
        aliases.set("upper", "prod", new AliasRequest(1L, null, null, null));
        deploy(request(null, 2), 2);
        deploy(request(null, 2), 3);
        assertThat(FunctionVersions.keptNumbers(registry.existing("upper")))
                .containsExactly(3L, 2L, 1L);
        assertThatThrownBy(() -> aliases.deleteVersion("upper", 1))
                .hasMessageContaining("in use by alias prod")
                .hasMessageContaining("flowfn alias set upper ALIAS VERSION");
        aliases.set("upper", "prod", new AliasRequest(3L, null, null, null));
        aliases.deleteVersion("upper", 1);
        assertThat(FunctionVersions.keptNumbers(registry.existing("upper")))
                .containsExactly(3L, 2L);
    }

    @Test
    void aDeployWithAnAliasMovesItAndRollbackMovesItBack() {
        deploy(request("prod", null), 1);
        deploy(request("prod", null), 2);
        Alias prod = FunctionVersions.alias(registry.existing("upper"), "prod");
        assertThat(prod.getVersion()).isEqualTo(2);
        assertThat(prod.getPreviousVersion()).isEqualTo(1);

        aliases.rollback("upper", new RollbackRequest("prod", null));
        assertThat(FunctionVersions.alias(registry.existing("upper"), "prod").getVersion())
                .isEqualTo(1);
    }

    @Test
    void aSplitIsCheckedAndEndsOnItsStableVersionOnRollback() {
        deploy(request(null, null), 1);
        deploy(request(null, null), 2);
        assertThatThrownBy(() -> aliases.set("upper", "prod", new AliasRequest(1L, 7L, 10, null)))
                .hasMessageContaining("version 7 of 'upper' does not exist");
        assertThatThrownBy(() -> aliases.set("upper", "prod", new AliasRequest(1L, 2L, 100, null)))
                .hasMessageContaining("give 1 to 99");
        assertThatThrownBy(
                        () -> aliases.set("upper", "prod", new AliasRequest(9L, null, null, null)))
                .hasMessageContaining("version 9 of 'upper' does not exist");
        assertThatThrownBy(
                        () ->
                                aliases.set(
                                        "upper",
                                        "prod",
                                        new AliasRequest(1L, null, null, "error-rate>5%/1m")))
                .hasMessageContaining("needs a split");
        Alias split = aliases.set("upper", "prod", new AliasRequest(1L, 2L, 10, null));
        assertThat(split.getCanaryWeight()).isEqualTo(10);

        aliases.rollback("upper", new RollbackRequest("prod", null));
        Alias back = FunctionVersions.alias(registry.existing("upper"), "prod");
        assertThat(back.getVersion()).isEqualTo(1);
        assertThat(back.getCanaryVersion()).isNull();
    }

    @Test
    void rollbackWithoutAnAliasMakesThePreviousCodeTheLatestAgain() {
        deploy(request(null, null), 1);
        deploy(request(null, null), 2);
        String oldSha = FunctionVersions.version(registry.existing("upper"), 1).getCodeSha256();

        FunctionSpec head = aliases.rollback("upper", new RollbackRequest(null, null));

        assertThat(head.getVersion()).isEqualTo(3);
        assertThat(head.getCodeSha256()).isEqualTo(oldSha);
        assertThat(FunctionVersions.keptNumbers(head)).containsExactly(3L, 2L, 1L);
    }

    @Test
    void anAlertOnTheCanaryMovesTheAliasBackOnce() {
        deploy(request(null, null), 1);
        deploy(request(null, null), 2);
        aliases.set("upper", "prod", new AliasRequest(1L, 2L, 10, "error-rate>5%/1m"));
        Alert alert =
                Alert.newBuilder()
                        .setFunction("upper")
                        .setVersion(2)
                        .setRule("error-rate>5%/1m")
                        .setState(AlertState.FIRING)
                        .setValue("40.0%")
                        .setWindowStart(NOW)
                        .setWindowEnd(NOW.plusSeconds(60))
                        .setRollback("prod")
                        .build();

        Alert done = aliases.rollbackOn(alert).orElseThrow();

        assertThat(done.getRule()).contains("rolled back: alias prod is on version 1 again");
        Alias prod = FunctionVersions.alias(registry.existing("upper"), "prod");
        assertThat(prod.getVersion()).isEqualTo(1);
        assertThat(prod.getCanaryVersion()).isNull();
        assertThat(aliases.rollbackOn(alert)).isEmpty(); // read again after a restart
        assertThat(aliases.rollbackOn(Alert.newBuilder(alert).setFunction("deleted-since").build()))
                .isEmpty();
    }

    @Test
    void badAliasRequestsNameTheFix() {
        deploy(request(null, null), 1);
        assertThatThrownBy(() -> aliases.delete("upper", "beta"))
                .hasMessageContaining("'upper' has no alias beta")
                .hasMessageContaining("flowfn alias set upper beta VERSION");
        assertThatThrownBy(() -> Addressed.of(registry, "upper:beta"))
                .hasMessageContaining("has no alias beta");
        assertThatThrownBy(() -> Addressed.of(registry, "upper:5"))
                .hasMessageContaining("version 5 of 'upper' does not exist");
        assertThatThrownBy(
                        () ->
                                aliases.set(
                                        "upper", "latest", new AliasRequest(1L, null, null, null)))
                .hasMessageContaining("not be 'latest'");
        assertThatThrownBy(() -> aliases.rollback("upper", new RollbackRequest(null, null)))
                .hasMessageContaining("no earlier version");
    }

    @Test
    void aTriggerThroughAnAliasNeedsTheAliasAndKeepsItFromBeingDeleted() {
        assertThatThrownBy(
                        () -> deploy(TestSpecs.request("upper", "kafka:topic=words,alias=prod"), 1))
                .hasMessageContaining("does not have; deploy with --alias prod");
        DeployRequest r = TestSpecs.request("upper", "kafka:topic=words,alias=prod");
        deploy(
                new DeployRequest(
                        r.name(),
                        r.handler(),
                        null,
                        null,
                        null,
                        null,
                        r.triggers(),
                        null,
                        null,
                        null,
                        null,
                        "prod",
                        null),
                1);
        assertThatThrownBy(() -> aliases.delete("upper", "prod"))
                .hasMessageContaining("runs through alias prod");
    }

    private void deploy(DeployRequest request, int n) {
        deploys.deploy(request, TestJars.handlerJarWith("n.txt", "jar " + n));
    }

    private static DeployRequest request(String alias, Integer keep) {
        DeployRequest r = TestSpecs.request("upper");
        return new DeployRequest(
                r.name(),
                r.handler(),
                null,
                null,
                null,
                null,
                List.of(),
                null,
                null,
                null,
                null,
                alias,
                keep);
    }
}
