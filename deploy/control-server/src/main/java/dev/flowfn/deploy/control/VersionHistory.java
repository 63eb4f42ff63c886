package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.Trigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How a function's latest registry record changes: a deploy adds a version and keeps the newest
 * {@code keep} (and every version an alias uses); an alias is set, moved or deleted; a version is
 * deleted. Pure: each takes the record as it is and returns the record as it becomes, or throws an
 * {@link ApiException} that says what to fix.
 */
final class VersionHistory {

    static final int DEFAULT_KEEP = 10;
    static final int MAX_KEEP = 100;

    /**
     * The record after deploying {@code version} (a single version, no history or aliases) over
     * {@code current} (null for a first deploy): the aliases carry over, and {@code alias} (or
     * null) moves to the new version.
     */
    static FunctionSpec deployed(
            FunctionSpec current, FunctionSpec version, String alias, int keep, Instant now) {
        if (keep < 1 || keep > MAX_KEEP) {
            throw ApiException.badRequest(
                    "--keep " + keep + " is out of range; keep 1 to " + MAX_KEEP + " versions");
        }
        List<FunctionSpec> older = new ArrayList<>();
        List<Alias> aliases = new ArrayList<>();
        if (current != null) {
            older.add(FunctionVersions.alone(current));
            older.addAll(current.getHistory());
            aliases.addAll(current.getAliases());
        }
        FunctionSpec head =
                FunctionSpec.newBuilder(version).setHistory(older).setAliases(aliases).build();
        if (alias != null) {
            head = withAlias(head, moved(head, alias, version.getVersion(), null, 0, null, now));
        }
        return trimmed(head, keep);
    }

    /** The record with {@code alias} set (replacing one of the same name). */
    static FunctionSpec withAlias(FunctionSpec head, Alias alias) {
        List<Alias> aliases = new ArrayList<>();
        for (Alias a : head.getAliases()) {
            if (!a.getName().equals(alias.getName())) {
                aliases.add(a);
            }
        }
        aliases.add(alias);
        aliases.sort((a, b) -> a.getName().compareTo(b.getName()));
        return FunctionSpec.newBuilder(head).setAliases(aliases).build();
    }

    /**
     * {@code name} pointed at {@code version} (and split to {@code canary} by {@code weight}
     * percent, when canary is not null), checked against the kept versions; its previous target is
     * remembered for 'flowfn rollback'.
     */
    static Alias moved(
            FunctionSpec head,
            String name,
            long version,
            Long canary,
            int weight,
            String rollbackOn,
            Instant now) {
        requireKept(head, version, "alias " + name);
        if (canary != null) {
            requireKept(head, canary, "alias " + name + "'s split");
            if (canary == version) {
                throw ApiException.badRequest(
                        "the split of alias "
                                + name
                                + " sends traffic to version "
                                + version
                                + " twice; give --weight another version");
            }
            if (weight < 1 || weight > 99) {
                throw ApiException.badRequest(
                        "weight "
                                + weight
                                + "% for version "
                                + canary
                                + " does not leave a split: give 1 to 99 (percent of partition"
                                + " keys), e.g. --weight "
                                + canary
                                + "=10; the other "
                                + (100 - Math.max(0, Math.min(100, weight)))
                                + "% stay on version "
                                + version);
            }
        } else if (rollbackOn != null) {
            throw ApiException.badRequest(
                    "--rollback-on judges a canary: it needs a split (--weight VERSION=PERCENT)");
        }
        Alias before = FunctionVersions.alias(head, name);
        Long previous = before == null ? null : before.getVersion();
        if (before != null && before.getVersion() == version) {
            previous = before.getPreviousVersion(); // a change of split is not a move
        }
        return Alias.newBuilder()
                .setName(name)
                .setVersion(version)
                .setCanaryVersion(canary)
                .setCanaryWeight(canary == null ? 0 : weight)
                .setRollbackOn(rollbackOn)
                .setPreviousVersion(previous)
                .setMovedAt(now)
                .build();
    }

    /** The record without {@code alias}; refused while a trigger runs through it. */
    static FunctionSpec withoutAlias(FunctionSpec head, String alias) {
        if (FunctionVersions.alias(head, alias) == null) {
            throw noAlias(head, alias);
        }
        for (Trigger t : head.getTriggers()) {
            if (alias.equals(t.getParams().get("alias"))) {
                throw new ApiException(
                        409,
                        "trigger '"
                                + t.getText()
                                + "' runs through alias "
                                + alias
                                + "; deploy without that trigger first, or point the alias"
                                + " elsewhere with 'flowfn alias set'");
            }
        }
        List<Alias> aliases = new ArrayList<>(head.getAliases());
        aliases.removeIf(a -> a.getName().equals(alias));
        return FunctionSpec.newBuilder(head).setAliases(aliases).build();
    }

    /**
     * The record without the older version {@code version}; refused for the latest or an alias's.
     */
    static FunctionSpec withoutVersion(FunctionSpec head, long version) {
        String name = head.getName();
        if (head.getVersion() == version) {
            throw new ApiException(
                    409,
                    "version "
                            + version
                            + " is the latest of '"
                            + name
                            + "'; delete the function with 'flowfn delete "
                            + name
                            + "', or deploy a newer version first");
        }
        requireKept(head, version, "'" + name + ":" + version + "'");
        List<String> users = FunctionVersions.aliasesOf(head, version);
        if (!users.isEmpty()) {
            throw new ApiException(
                    409,
                    "version "
                            + version
                            + " of '"
                            + name
                            + "' is in use by alias "
                            + String.join(", ", users)
                            + "; move the alias first ('flowfn alias set "
                            + name
                            + " ALIAS VERSION')");
        }
        for (Trigger t : head.getTriggers()) {
            if (Long.toString(version).equals(t.getParams().get("version"))) {
                throw new ApiException(
                        409,
                        "trigger '"
                                + t.getText()
                                + "' runs version "
                                + version
                                + "; redeploy without it first");
            }
        }
        List<FunctionSpec> history = new ArrayList<>(head.getHistory());
        history.removeIf(v -> v.getVersion() == version);
        return FunctionSpec.newBuilder(head).setHistory(history).build();
    }

    /** Every trigger's alias exists and every pinned version is kept; else what to do. */
    static void checkTriggers(FunctionSpec head) {
        for (Trigger t : head.getTriggers()) {
            String alias = t.getParams().get("alias");
            if (alias != null && FunctionVersions.alias(head, alias) == null) {
                throw ApiException.badRequest(
                        "trigger '"
                                + t.getText()
                                + "' runs through alias "
                                + alias
                                + ", which '"
                                + head.getName()
                                + "' does not have; deploy with --alias "
                                + alias
                                + ", or create it first with 'flowfn alias set "
                                + head.getName()
                                + " "
                                + alias
                                + " VERSION'");
            }
            String version = t.getParams().get("version");
            if (version != null
                    && FunctionVersions.version(head, Long.parseLong(version)) == null) {
                throw ApiException.badRequest(
                        "trigger '"
                                + t.getText()
                                + "' runs version "
                                + version
                                + ", which is not kept (kept: "
                                + FunctionVersions.keptNumbers(head)
                                + ")");
            }
        }
    }

    /** The versions {@code before} kept that {@code after} does not (null after: all). */
    static List<FunctionSpec> dropped(FunctionSpec before, FunctionSpec after) {
        List<FunctionSpec> gone = new ArrayList<>();
        if (before == null) {
            return gone;
        }
        for (FunctionSpec v : FunctionVersions.kept(before)) {
            if (after == null || FunctionVersions.version(after, v.getVersion()) == null) {
                gone.add(v);
            }
        }
        return gone;
    }

    /** Whether some version {@code head} keeps runs the code at {@code codeUri}. */
    static boolean usesCode(FunctionSpec head, String codeUri) {
        if (head == null) {
            return false;
        }
        for (FunctionSpec v : FunctionVersions.kept(head)) {
            if (v.getCodeUri().equals(codeUri)) {
                return true;
            }
        }
        return false;
    }

    static ApiException noAlias(FunctionSpec head, String alias) {
        List<String> names = head.getAliases().stream().map(Alias::getName).toList();
        return ApiException.notFound(
                "'"
                        + head.getName()
                        + "' has no alias "
                        + alias
                        + (names.isEmpty() ? " (it has none)" : " (aliases: " + names + ")")
                        + "; create it with 'flowfn alias set "
                        + head.getName()
                        + " "
                        + alias
                        + " VERSION'");
    }

    static void requireKept(FunctionSpec head, long version, String what) {
        if (FunctionVersions.version(head, version) == null) {
            throw ApiException.notFound(
                    what
                            + ": version "
                            + version
                            + " of '"
                            + head.getName()
                            + "' does not exist or is no longer kept (kept: "
                            + FunctionVersions.keptNumbers(head)
                            + "); see 'flowfn versions "
                            + head.getName()
                            + "'");
        }
    }

    /** Keeps the newest {@code keep} versions and every version an alias or trigger uses. */
    private static FunctionSpec trimmed(FunctionSpec head, int keep) {
        Set<Long> pinned = new HashSet<>();
        for (Alias a : head.getAliases()) {
            pinned.add(a.getVersion());
            if (a.getCanaryVersion() != null) {
                pinned.add(a.getCanaryVersion());
            }
        }
        for (Trigger t : head.getTriggers()) {
            String v = t.getParams().get("version");
            if (v != null) {
                pinned.add(Long.parseLong(v));
            }
        }
        List<FunctionSpec> history = new ArrayList<>();
        int newest = 1; // the latest
        for (FunctionSpec v : head.getHistory()) {
            if (newest < keep) {
                history.add(v);
                newest++;
            } else if (pinned.contains(v.getVersion())) {
                history.add(v);
            }
        }
        return FunctionSpec.newBuilder(head).setHistory(history).build();
    }

    private VersionHistory() {}
}
