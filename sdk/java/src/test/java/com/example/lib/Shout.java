package com.example.lib;

import java.util.Locale;

/** A "library" the tests put in a jar of its own, beside the handler's jar. */
public final class Shout {
    private Shout() {}

    public static String shout(String s) {
        return s.toUpperCase(Locale.ROOT) + "!";
    }
}
