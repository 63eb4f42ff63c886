package dev.flowfn.examples.webapp;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.HttpRequest;
import dev.flowfn.api.Result;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a user's profile page, per request: {@code GET /u/{user}} behind an HTTP trigger, or
 * {@code flowfn invoke profile-page --data '{"user":"bob"}'}. An unknown user gets a 404 page.
 * Clients that ask for JSON ({@code Accept: application/json}) get the profile as JSON.
 */
public final class ProfilePage implements Handler {

    private static final Pattern USER_FIELD = Pattern.compile("\"user\"\\s*:\\s*\"([^\"]*)\"");
    private static final String HTML = "text/html; charset=utf-8";

    // compiled once per loaded version; Mustache templates are thread-safe once compiled
    private final Mustache profile = compile("profile");
    private final Mustache notFound = compile("not-found");

    @Override
    public Result handle(Event event, Context context) {
        Optional<HttpRequest> http =
                HttpRequest.isHttp(event) ? Optional.of(HttpRequest.of(event)) : Optional.empty();
        String user =
                http.flatMap(r -> r.param("user"))
                        .orElseGet(() -> userFromBody(event.dataAsString()));
        boolean wantsJson =
                http.flatMap(r -> r.header("accept"))
                        .map(a -> a.contains("application/json"))
                        .orElse(false);
        Optional<Users.Profile> found = Users.find(user);
        context.logger()
                .info("profile of '" + user + "': " + (found.isPresent() ? "found" : "not found"));
        if (found.isEmpty()) {
            return wantsJson
                    ? Result.json("{\"error\":\"no such user\",\"user\":" + Json.string(user) + "}")
                            .withStatus(404)
                    : Result.ok(render(notFound, Map.of("user", user)), HTML).withStatus(404);
        }
        Users.Profile p = found.get();
        if (wantsJson) {
            return Result.json(Json.profile(p)).withHeader("Cache-Control", "max-age=60");
        }
        Map<String, Object> model = new HashMap<>();
        model.put("user", p.user());
        model.put("name", p.name());
        model.put("city", p.city());
        model.put("joined", p.joined());
        model.put("bio", p.bio());
        model.put("interests", p.interests());
        model.put("function", context.functionName());
        model.put("version", context.functionVersion());
        model.put("invocation", context.invocationId());
        return Result.ok(render(profile, model), HTML).withHeader("Cache-Control", "max-age=60");
    }

    private static String userFromBody(String body) {
        Matcher m = USER_FIELD.matcher(body);
        return m.find() ? m.group(1) : "";
    }

    private static byte[] render(Mustache template, Map<String, Object> model) {
        StringWriter out = new StringWriter();
        template.execute(out, model);
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Mustache compile(String name) {
        var in = ProfilePage.class.getResourceAsStream("/webapp/" + name + ".mustache");
        if (in == null) {
            throw new IllegalStateException("template " + name + " is missing from the jar");
        }
        return new DefaultMustacheFactory()
                .compile(new InputStreamReader(in, StandardCharsets.UTF_8), name);
    }
}
