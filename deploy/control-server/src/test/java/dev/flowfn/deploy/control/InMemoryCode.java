package dev.flowfn.deploy.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link CodeRepository} in a map: what is stored, and the calls in order. */
class InMemoryCode implements CodeRepository {

    final Map<String, byte[]> jars = new TreeMap<>();
    final List<String> calls;

    InMemoryCode() {
        this(new ArrayList<>());
    }

    /** Records its calls ("code F SHA", "delete F SHA") into {@code calls}. */
    InMemoryCode(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public synchronized String put(String function, String sha256, byte[] jar) {
        calls.add("code " + function + " " + sha256);
        jars.put(function + "/" + sha256, jar);
        return "s3://flowfn-code/" + function + "/" + sha256 + ".jar";
    }

    @Override
    public synchronized void delete(String function, String sha256) {
        calls.add("delete " + function + " " + sha256);
        jars.remove(function + "/" + sha256);
    }
}
