package dev.flowfn.job.internal;

/**
 * One record of the {@code flowfn.functions} topic: a function name and its encoded spec, or no
 * spec when the function was deleted. A Flink POJO; the spec stays encoded until the matcher
 * decodes it, so a bad record becomes a log line there instead of a job failure.
 */
public final class RegistryUpdate {
    public String name;
    public byte[] spec;

    public RegistryUpdate() {}

    public RegistryUpdate(String name, byte[] spec) {
        this.name = name;
        this.spec = spec;
    }

    public boolean isDeletion() {
        return spec == null;
    }
}
