package dev.flowfn.schemas;

/**
 * How users and events name what runs: a function ({@code resize}: its latest version), one of its
 * versions ({@code resize:3}) or one of its aliases ({@code resize:prod}).
 *
 * @param function the function's name
 * @param qualifier a version number or an alias name; null for the latest version
 */
public record FunctionAddress(String function, String qualifier) {

    /**
     * Parses {@code name}, {@code name:version} or {@code name:alias}.
     *
     * @throws InvalidSpecException naming what is wrong and the forms that are right
     */
    public static FunctionAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidSpecException(
                    "name a function: NAME, NAME:VERSION (e.g. resize:3) or NAME:ALIAS (e.g. resize:prod)");
        }
        int colon = text.indexOf(':');
        if (colon < 0) {
            return new FunctionAddress(FunctionSpecRules.name(text), null);
        }
        String name = FunctionSpecRules.name(text.substring(0, colon));
        String qualifier = text.substring(colon + 1);
        if (isVersion(qualifier)) {
            if (Long.parseLong(qualifier) < 1) {
                throw new InvalidSpecException(
                        "'" + text + "': versions start at 1; see 'flowfn versions " + name + "'");
            }
            return new FunctionAddress(name, qualifier);
        }
        if (qualifier.equals("latest")) {
            return new FunctionAddress(name, null);
        }
        try {
            FunctionSpecRules.alias(qualifier);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecException(
                    "'"
                            + text
                            + "': after ':' comes a version number or an alias name; "
                            + e.getMessage());
        }
        return new FunctionAddress(name, qualifier);
    }

    /** Whether {@code qualifier} is a version number (digits only, at most 18). */
    public static boolean isVersion(String qualifier) {
        if (qualifier == null || qualifier.isEmpty() || qualifier.length() > 18) {
            return false;
        }
        for (int i = 0; i < qualifier.length(); i++) {
            char c = qualifier.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    public boolean latest() {
        return qualifier == null;
    }

    /** Whether the address pins a version number. */
    public boolean pinned() {
        return isVersion(qualifier);
    }

    /** The pinned version number. */
    public long version() {
        if (!pinned()) {
            throw new IllegalStateException(this + " does not name a version number");
        }
        return Long.parseLong(qualifier);
    }

    /** The alias name, or null when the address is not an alias. */
    public String alias() {
        return qualifier == null || pinned() ? null : qualifier;
    }

    @Override
    public String toString() {
        return qualifier == null ? function : function + ":" + qualifier;
    }
}
