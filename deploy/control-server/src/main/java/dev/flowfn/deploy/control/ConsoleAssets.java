package dev.flowfn.deploy.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The web console's files, classpath resources under {@code console/} of this module: the two pages
 * and the script and style they load. Plain HTML, CSS and JavaScript, no framework, nothing fetched
 * from elsewhere. Read once when built; immutable after, any thread.
 */
final class ConsoleAssets {

    /** Served under {@code /console/assets/}, by name: nothing else of the class path is. */
    private static final Map<String, String> ASSET_TYPES =
            Map.of(
                    "console.js", "text/javascript; charset=utf-8",
                    "console.css", "text/css; charset=utf-8");

    private final String indexPage;
    private final String loginPage;
    private final Map<String, byte[]> assets;

    ConsoleAssets() {
        this.indexPage = text("index.html");
        this.loginPage = text("login.html");
        this.assets =
                Map.of(
                        "console.js", bytes("console.js"),
                        "console.css", bytes("console.css"));
    }

    String indexPage() {
        return indexPage;
    }

    /** The sign-in page with {@code message} (plain text, escaped here; empty for none). */
    String loginPage(String message) {
        return loginPage.replace("{{message}}", escape(message));
    }

    /** An asset by name, as a 200 page, or empty for a name that is not one. */
    Optional<ConsolePage> asset(String name) {
        byte[] body = assets.get(name);
        if (body == null) {
            return Optional.empty();
        }
        return Optional.of(new ConsolePage(200, ASSET_TYPES.get(name), body, Map.of()));
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) {
                throw new IllegalStateException(
                        "console/" + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
