package dev.flowfn.examples.webapp;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The user profiles, shipped as resources in the function's jar ({@code
 * webapp/users/<name>.properties}).
 */
final class Users {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");

    /** A user's profile. */
    record Profile(
            String user,
            String name,
            String city,
            String joined,
            String bio,
            List<String> interests) {}

    static Optional<Profile> find(String user) {
        if (user == null || !NAME.matcher(user).matches()) {
            return Optional.empty(); // never a path outside the users folder
        }
        try (InputStream in =
                Users.class.getResourceAsStream("/webapp/users/" + user + ".properties")) {
            if (in == null) {
                return Optional.empty();
            }
            Properties p = new Properties();
            p.load(new InputStreamReader(in, StandardCharsets.UTF_8));
            return Optional.of(
                    new Profile(
                            user,
                            p.getProperty("name", user),
                            p.getProperty("city", ""),
                            p.getProperty("joined", ""),
                            p.getProperty("bio", ""),
                            List.of(p.getProperty("interests", "").split(","))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Users() {}
}
