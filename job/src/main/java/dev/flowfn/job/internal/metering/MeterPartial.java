package dev.flowfn.job.internal.metering;

/**
 * The exact sums of the attempts of one function version that ended within one metering window, in
 * one parallel instance of the job. A Flink POJO: it is checkpointed until its window closes, then
 * merged downstream with the other instances' into one MeterWindow.
 */
public final class MeterPartial {
    public String function;
    public long version;
    public long windowStart;
    public MeterAccumulator sums = new MeterAccumulator();

    public MeterPartial() {}

    public MeterPartial(String function, long version, long windowStart) {
        this.function = function;
        this.version = version;
        this.windowStart = windowStart;
    }

    /** The key the merge step groups by. */
    public String versionKey() {
        return function + "@" + version;
    }

    @Override
    public String toString() {
        return function + "@" + version + " from " + windowStart + ": " + sums.invocations;
    }
}
