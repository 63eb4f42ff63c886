package dev.flowfn.job.internal.metering;

import dev.flowfn.schemas.FunctionSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The partial metering sums of one parallel instance: per function version and window, the exact
 * totals of the attempts that ended in it. A window's partials leave ({@link #closeUpTo}) when the
 * wall clock passes its end; until then they are part of the operator's checkpoint. Task thread
 * only.
 */
public final class MeterPartials {

    private final long windowMillis;

    /** By window start, then by spec instance (the registry's, shared by all its invocations). */
    private final Map<Long, Map<FunctionSpec, MeterPartial>> open = new HashMap<>();

    /** Restored partials (their specs are gone), by window start. */
    private final Map<Long, List<MeterPartial>> restored = new HashMap<>();

    /**
     * The partial {@link #add} added to last, and its spec, while its window is open: most attempts
     * end in the window of the one before, of the same version, and then skip two map lookups and a
     * boxed window start.
     */
    private FunctionSpec lastSpec;

    private MeterPartial lastAdded;

    public MeterPartials(long windowMillis) {
        this.windowMillis = windowMillis;
    }

    /**
     * Adds one attempt that ended at {@code endMillis}. Returns the end of its window when that
     * window had no partial yet (the caller arranges to close it then), else -1.
     */
    public long add(
            FunctionSpec spec,
            long endMillis,
            long billedMs,
            boolean success,
            boolean deadLettered) {
        long start = endMillis - Math.floorMod(endMillis, windowMillis);
        MeterPartial last = lastAdded;
        if (last != null && last.windowStart == start && lastSpec == spec) {
            last.sums.add(billedMs, spec.getMemoryMb(), success, deadLettered);
            return -1; // its window had a partial: this one
        }
        Map<FunctionSpec, MeterPartial> window = open.get(start);
        boolean fresh = window == null && !restored.containsKey(start);
        if (window == null) {
            window = new IdentityHashMap<>();
            open.put(start, window);
        }
        MeterPartial partial = window.get(spec);
        if (partial == null) {
            partial = new MeterPartial(spec.getName(), spec.getVersion(), start);
            window.put(spec, partial);
        }
        partial.sums.add(billedMs, spec.getMemoryMb(), success, deadLettered);
        lastSpec = spec;
        lastAdded = partial;
        return fresh ? start + windowMillis : -1;
    }

    /** Takes back partials from a checkpoint; returns the window ends to close them at. */
    public List<Long> restore(Iterable<MeterPartial> partials) {
        List<Long> ends = new ArrayList<>();
        for (MeterPartial p : partials) {
            List<MeterPartial> list =
                    restored.computeIfAbsent(p.windowStart, k -> new ArrayList<>());
            if (list.isEmpty() && !open.containsKey(p.windowStart)) {
                ends.add(p.windowStart + windowMillis);
            }
            list.add(p);
        }
        return ends;
    }

    /** Removes and returns the partials of every window that ended at or before {@code now}. */
    public List<MeterPartial> closeUpTo(long nowMillis) {
        if (lastAdded != null && lastAdded.windowStart + windowMillis <= nowMillis) {
            lastSpec = null;
            lastAdded = null;
        }
        List<MeterPartial> closed = new ArrayList<>();
        for (Iterator<Map.Entry<Long, Map<FunctionSpec, MeterPartial>>> it =
                        open.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, Map<FunctionSpec, MeterPartial>> e = it.next();
            if (e.getKey() + windowMillis <= nowMillis) {
                for (MeterPartial p : e.getValue().values()) {
                    p.sums.fold();
                    closed.add(p);
                }
                it.remove();
            }
        }
        for (Iterator<Map.Entry<Long, List<MeterPartial>>> it = restored.entrySet().iterator();
                it.hasNext(); ) {
            Map.Entry<Long, List<MeterPartial>> e = it.next();
            if (e.getKey() + windowMillis <= nowMillis) {
                closed.addAll(e.getValue());
                it.remove();
            }
        }
        return closed;
    }

    /** Every partial still open, for a checkpoint. */
    public List<MeterPartial> all() {
        List<MeterPartial> all = new ArrayList<>();
        for (Map<FunctionSpec, MeterPartial> window : open.values()) {
            for (MeterPartial p : window.values()) {
                p.sums.fold();
                all.add(p);
            }
        }
        restored.values().forEach(all::addAll);
        return all;
    }
}
