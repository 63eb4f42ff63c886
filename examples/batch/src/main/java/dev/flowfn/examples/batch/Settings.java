package dev.flowfn.examples.batch;

import dev.flowfn.api.Context;

/** Required settings from the function's environment, with an error that names the fix. */
final class Settings {

    private Settings() {}

    static String required(Context context, String name) {
        return context.env(name)
                .filter(v -> !v.isBlank())
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        name + " is not set; deploy with --env " + name + "=..."));
    }
}
