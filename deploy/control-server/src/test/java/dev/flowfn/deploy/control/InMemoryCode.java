package dev.flowfn.deploy.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A {@link CodeRepository} in a map: what is stored, and the calls in order. */
class InMemoryCode implements CodeRepository {

    static final String PREFIX = "s3://flowfn-code/";

    /** The stored code by URI. */
    final Map<String, byte[]> jars = new TreeMap<>();

    final List<String> calls;

    InMemoryCode() {
        this(new ArrayList<>());
    }

    /** Records its calls ("code F SHA", "delete F URI") into {@code calls}. */
    InMemoryCode(List<String> calls) {
        this.calls = calls;
    }

    @Override
    public synchronized String put(String function, String sha256, String extension, byte[] code) {
        calls.add("code " + function + " " + sha256);
        String uri = PREFIX + function + "/" + sha256 + "." + extension;
        jars.put(uri, code);
        return uri;
    }

    @Override
    public synchronized void delete(String function, String codeUri) {
        if (codeUri.startsWith(PREFIX + function + "/")) { // as CodeStore: only what it wrote
            calls.add("delete " + function + " " + codeUri);
            jars.remove(codeUri);
        }
    }
}
