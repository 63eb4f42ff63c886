package dev.flowfn.job.internal;

import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionAddress;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * One function as the operator routes to it: its kept versions and its aliases, read from the
 * function's latest registry record. Each version is one object for as long as it is kept, across
 * registry updates (an alias move republishes the record), so the dispatch state of a version (its
 * lane, its measurements, its loaded code) survives them. Immutable; owned by the task thread.
 */
public final class DeployedFunction {

    private final String name;
    private final FunctionSpec latest;
    private final Map<Long, FunctionSpec> versions;
    private final Map<String, Alias> aliases;

    private DeployedFunction(
            String name,
            FunctionSpec latest,
            Map<Long, FunctionSpec> versions,
            Map<String, Alias> aliases) {
        this.name = name;
        this.latest = latest;
        this.versions = versions;
        this.aliases = aliases;
    }

    /**
     * The function as {@code record} describes it, reusing the version objects of {@code before}
     * (null for none) for the versions both hold.
     */
    public static DeployedFunction of(FunctionSpec record, DeployedFunction before) {
        Map<Long, FunctionSpec> versions = new HashMap<>();
        for (FunctionSpec v : FunctionVersions.kept(record)) {
            FunctionSpec same = before == null ? null : before.versions.get(v.getVersion());
            versions.put(
                    v.getVersion(),
                    same != null && same.getCodeSha256().equals(v.getCodeSha256())
                            ? same
                            : FunctionVersions.alone(v));
        }
        Map<String, Alias> aliases = new HashMap<>();
        for (Alias a : record.getAliases()) {
            aliases.put(a.getName(), a);
        }
        return new DeployedFunction(
                record.getName(), versions.get(record.getVersion()), versions, aliases);
    }

    public String name() {
        return name;
    }

    public FunctionSpec latest() {
        return latest;
    }

    /** The kept version {@code version}, or null. */
    public FunctionSpec version(long version) {
        return versions.get(version);
    }

    public Collection<FunctionSpec> versions() {
        return versions.values();
    }

    /**
     * The version an event with {@code partitionKey} runs on: the latest for a null qualifier, a
     * pinned version, or where an alias sends that key. Null when the qualifier names an alias the
     * function does not have or a version it no longer keeps ({@link #unresolved} says which).
     */
    public FunctionSpec resolve(String qualifier, String partitionKey) {
        if (qualifier == null) {
            return latest;
        }
        Alias alias = aliases.get(qualifier);
        if (alias != null) {
            return versions.get(FunctionVersions.route(alias, partitionKey));
        }
        if (FunctionAddress.isVersion(qualifier)) {
            return versions.get(Long.parseLong(qualifier));
        }
        return null;
    }

    /** Why {@link #resolve} found nothing for {@code qualifier}, and what to do. */
    public String unresolved(String qualifier) {
        String kept = "kept versions " + versions.keySet();
        if (FunctionAddress.isVersion(qualifier)) {
            return "version "
                    + qualifier
                    + " of '"
                    + name
                    + "' is not kept ("
                    + kept
                    + "); see 'flowfn versions "
                    + name
                    + "'";
        }
        if (aliases.containsKey(qualifier)) {
            return "alias '"
                    + qualifier
                    + "' of '"
                    + name
                    + "' points at a version that is not kept ("
                    + kept
                    + "); move it with 'flowfn alias set'";
        }
        return "'"
                + name
                + "' has no alias '"
                + qualifier
                + "' (aliases "
                + aliases.keySet()
                + "); create it with 'flowfn alias set "
                + name
                + " "
                + qualifier
                + " VERSION'";
    }
}
