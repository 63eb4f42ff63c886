package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.Trigger;
import dev.flowfn.schemas.TriggerSpecs;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HTTP routes of the deployed functions ({@code http:route=/u/{user},methods=GET,auth=key}).
 * Immutable; rebuilt when the registry changes. Literal segments win over parameters, so {@code
 * /u/me} beats {@code /u/{user}}.
 */
public final class RouteTable {

    /** A route of one function. */
    public record Route(
            String pattern,
            String[] segments,
            Set<String> methods,
            boolean anonymous,
            FunctionSpec spec,
            String qualifier) {}

    /** A request matched to a route, with its path parameters. */
    public record Match(Route route, Map<String, String> params) {}

    private final List<Route> routes;

    private RouteTable(List<Route> routes) {
        this.routes = routes;
    }

    public static RouteTable of(List<FunctionSpec> functions) {
        List<Route> routes = new ArrayList<>();
        for (FunctionSpec spec : functions) {
            for (Trigger t : spec.getTriggers()) {
                if (t.getKind().equals("http")) {
                    String pattern = t.getParams().get("route");
                    routes.add(
                            new Route(
                                    pattern,
                                    segments(pattern),
                                    Set.of(
                                            t.getParams()
                                                    .getOrDefault("methods", "GET")
                                                    .split("\\|")),
                                    "anonymous".equals(t.getParams().get("auth")),
                                    spec,
                                    TriggerSpecs.qualifier(t)));
                }
            }
        }
        // more literal segments first, then by name so the order is stable
        routes.sort(
                Comparator.comparingLong((Route r) -> -literals(r))
                        .thenComparing(r -> r.spec().getName()));
        return new RouteTable(List.copyOf(routes));
    }

    /** The route for this method and path, if any. */
    public Optional<Match> match(String method, String path) {
        String[] parts = segments(path);
        for (Route r : routes) {
            Map<String, String> params = bind(r.segments(), parts);
            if (params != null
                    && (r.methods().contains(method)
                            || (method.equals("HEAD") && r.methods().contains("GET")))) {
                return Optional.of(new Match(r, params));
            }
        }
        return Optional.empty();
    }

    /** The methods routes allow on this path (empty when no route has it): for 405 and Allow. */
    public Set<String> allowed(String path) {
        String[] parts = segments(path);
        Set<String> methods = new TreeSet<>();
        for (Route r : routes) {
            if (bind(r.segments(), parts) != null) {
                methods.addAll(r.methods());
            }
        }
        return methods;
    }

    /**
     * Another function's route that would take requests from {@code spec}'s routes (same shape and
     * a shared method), for refusing the deploy; empty when there is none.
     */
    public Optional<String> conflict(FunctionSpec spec) {
        for (Route mine : of(List.of(spec)).routes) {
            for (Route other : routes) {
                if (!other.spec().getName().equals(spec.getName())
                        && shape(other).equals(shape(mine))
                        && other.methods().stream().anyMatch(mine.methods()::contains)) {
                    return Optional.of(
                            "route "
                                    + mine.pattern()
                                    + " "
                                    + mine.methods()
                                    + " is already served by function '"
                                    + other.spec().getName()
                                    + "' ("
                                    + other.pattern()
                                    + "); pick another route or delete that function");
                }
            }
        }
        return Optional.empty();
    }

    public boolean isEmpty() {
        return routes.isEmpty();
    }

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{")) {
                if (path[i].isEmpty()) {
                    return null;
                }
                params.put(p.substring(1, p.length() - 1), path[i]);
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return params;
    }

    private static String shape(Route r) {
        StringBuilder b = new StringBuilder();
        for (String s : r.segments()) {
            b.append('/').append(s.startsWith("{") ? "{}" : s);
        }
        return b.toString();
    }

    private static long literals(Route r) {
        long n = 0;
        for (String s : r.segments()) {
            n += s.startsWith("{") ? 0 : 1;
        }
        return n * 1000 + r.segments().length;
    }

    /** {@code /u/alice/} and {@code /u/alice} are the same path; {@code /} has no segments. */
    static String[] segments(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p.isEmpty() ? new String[0] : p.split("/", -1);
    }
}
