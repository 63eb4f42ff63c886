package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.AliasRequest;
import dev.flowfn.deploy.control.api.RollbackRequest;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.AlertRule;
import dev.flowfn.schemas.AlertState;
import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.InvalidSpecException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versions and aliases of deployed functions: set, split, move back and delete aliases; delete a
 * kept version; make an earlier version the latest again; and move an alias back when its canary
 * breaks its {@code rollbackOn} rule. Every change is one write of the function's latest record,
 * which the job applies at once to events it has not routed yet (in-flight ones finish on their
 * version).
 *
 * <p>Threads: request threads and the alert follower, concurrently ({@link RegistryWrites}).
 */
final class AliasService {

    private static final Logger LOG = LoggerFactory.getLogger(AliasService.class);

    private final RegistryWrites writes;
    private final Clock clock;

    AliasService(RegistryWrites writes, Clock clock) {
        this.writes = writes;
        this.clock = clock;
    }

    /** Creates or moves {@code alias} as the request says; returns it as stored. */
    Alias set(String function, String alias, AliasRequest request) {
        String name = checked(alias);
        if (request == null || request.version() == null) {
            throw ApiException.badRequest(
                    "say which version alias "
                            + name
                            + " points at: {\"version\": 3} (flowfn alias set "
                            + function
                            + " "
                            + name
                            + " 3)");
        }
        if (request.canaryWeight() != null && request.canaryVersion() == null) {
            throw ApiException.badRequest(
                    "a weight needs the version it sends traffic to: --weight VERSION=PERCENT");
        }
        String rule = request.rollbackOn() == null ? null : rule(request.rollbackOn());
        FunctionSpec head =
                writes.update(
                        function,
                        current ->
                                VersionHistory.withAlias(
                                        existing(function, current),
                                        VersionHistory.moved(
                                                current,
                                                name,
                                                request.version(),
                                                request.canaryVersion(),
                                                request.canaryWeight() == null
                                                        ? 0
                                                        : request.canaryWeight(),
                                                rule,
                                                clock.instant())));
        Alias stored = FunctionVersions.alias(head, name);
        LOG.info("{}: alias {}", function, SpecJson.alias(stored).describe());
        return stored;
    }

    void delete(String function, String alias) {
        writes.update(
                function,
                current -> VersionHistory.withoutAlias(existing(function, current), alias));
        LOG.info("{}: alias {} deleted", function, alias);
    }

    void deleteVersion(String function, long version) {
        writes.update(
                function,
                current -> VersionHistory.withoutVersion(existing(function, current), version));
        LOG.info("{}: version {} deleted", function, version);
    }

    /**
     * With an alias: points it back at {@code to}, or where it pointed before its last move (a
     * split ends on its stable version). Without one: makes {@code to} (default: the version before
     * the latest) the latest again, as a new version with its code and settings.
     */
    FunctionSpec rollback(String function, RollbackRequest request) {
        String alias = request == null ? null : request.alias();
        Long to = request == null ? null : request.to();
        if (alias != null) {
            FunctionSpec head =
                    writes.update(
                            function,
                            current -> {
                                FunctionSpec now = existing(function, current);
                                Alias a = FunctionVersions.alias(now, alias);
                                if (a == null) {
                                    throw VersionHistory.noAlias(now, alias);
                                }
                                long target = to != null ? to : back(now, a);
                                return VersionHistory.withAlias(
                                        now,
                                        VersionHistory.moved(
                                                now,
                                                alias,
                                                target,
                                                null,
                                                0,
                                                null,
                                                clock.instant()));
                            });
            LOG.info(
                    "{}: rolled back, alias {}",
                    function,
                    SpecJson.alias(FunctionVersions.alias(head, alias)).describe());
            return head;
        }
        FunctionRegistry registry = writes.registry();
        FunctionSpec head =
                writes.update(
                        function,
                        current -> {
                            FunctionSpec now = existing(function, current);
                            long target = to != null ? to : previous(now);
                            VersionHistory.requireKept(now, target, "rollback");
                            if (target == now.getVersion()) {
                                throw ApiException.badRequest(
                                        "version " + target + " is already the latest");
                            }
                            FunctionSpec old = FunctionVersions.version(now, target);
                            FunctionSpec again =
                                    FunctionSpec.newBuilder(FunctionVersions.alone(old))
                                            .setVersion(registry.nextVersion(function))
                                            .setDeployedAt(clock.instant())
                                            .build();
                            FunctionSpec next =
                                    VersionHistory.deployed(
                                            now,
                                            again,
                                            null,
                                            Math.max(
                                                    VersionHistory.DEFAULT_KEEP,
                                                    now.getHistory().size() + 1),
                                            clock.instant());
                            VersionHistory.checkTriggers(next);
                            return next;
                        });
        LOG.info(
                "{}: rolled back, version {} is the latest with version {}'s code",
                function,
                head.getVersion(),
                to == null ? "the previous" : to);
        return head;
    }

    /**
     * Moves an alias back when the job says its canary broke the alias's {@code rollbackOn} rule,
     * unless the alias has moved since (an old alert read again after a restart does nothing).
     * Returns the alert that says what was done, to publish on {@code flowfn.alerts}.
     */
    Optional<Alert> rollbackOn(Alert alert) {
        if (alert.getRollback() == null || alert.getState() != AlertState.FIRING) {
            return Optional.empty();
        }
        String function = alert.getFunction();
        String alias = alert.getRollback();
        boolean[] moved = {false};
        long[] stable = {0};
        try {
            writes.update(
                    function,
                    current -> {
                        Alias a = current == null ? null : FunctionVersions.alias(current, alias);
                        if (a == null
                                || a.getCanaryVersion() == null
                                || a.getCanaryVersion() != alert.getVersion()
                                || a.getMovedAt().isAfter(alert.getWindowEnd())) {
                            return current; // moved since: nothing to do
                        }
                        moved[0] = true;
                        stable[0] = a.getVersion();
                        Alias back =
                                Alias.newBuilder(a)
                                        .setCanaryVersion(null)
                                        .setCanaryWeight(0)
                                        .setRollbackOn(null)
                                        .setPreviousVersion(a.getVersion())
                                        .setMovedAt(clock.instant())
                                        .build();
                        return VersionHistory.withAlias(current, back);
                    });
        } catch (ApiException e) {
            LOG.error("could not roll back alias {} of {}: {}", alias, function, e.getMessage());
            return Optional.empty();
        }
        if (!moved[0]) {
            return Optional.empty();
        }
        LOG.warn(
                "{}: version {} broke '{}' ({}) as canary of alias {}: the alias is back on version {}",
                function,
                alert.getVersion(),
                alert.getRule(),
                alert.getValue(),
                alias,
                stable[0]);
        return Optional.of(
                Alert.newBuilder(alert)
                        .setState(AlertState.RESOLVED)
                        .setRule(
                                alert.getRule()
                                        + " -> rolled back: alias "
                                        + alias
                                        + " is on version "
                                        + stable[0]
                                        + " again")
                        .build());
    }

    private static long back(FunctionSpec head, Alias a) {
        if (a.getCanaryVersion() != null) {
            return a.getVersion(); // end the split on the stable version
        }
        if (a.getPreviousVersion() == null) {
            throw ApiException.badRequest(
                    "alias "
                            + a.getName()
                            + " has not moved yet, so there is nowhere to roll back to; name a"
                            + " version with --to (kept: "
                            + FunctionVersions.keptNumbers(head)
                            + ")");
        }
        return a.getPreviousVersion();
    }

    private static long previous(FunctionSpec head) {
        if (head.getHistory().isEmpty()) {
            throw ApiException.badRequest(
                    "'"
                            + head.getName()
                            + "' has only version "
                            + head.getVersion()
                            + "; there is no earlier version to roll back to");
        }
        return head.getHistory().get(0).getVersion();
    }

    private static FunctionSpec existing(String function, FunctionSpec current) {
        if (current == null) {
            throw ApiException.notFound(
                    "no function named '" + function + "' is deployed; see 'flowfn list'");
        }
        return current;
    }

    private static String checked(String alias) {
        try {
            return FunctionSpecRules.alias(alias);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String rule(String text) {
        try {
            return AlertRule.parse(text).text();
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest("--rollback-on: " + e.getMessage());
        }
    }
}
