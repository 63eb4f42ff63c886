package dev.flowfn.api;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The HTTP request behind an {@code http.request} event (an HTTP trigger): method, path, route
 * parameters, query, headers and body.
 *
 * <pre>{@code
 * HttpRequest req = HttpRequest.of(event);
 * String user = req.param("user").orElseThrow();
 * }</pre>
 *
 * <p>On the event, the body is {@link Event#data()} and the rest travels in extensions ({@code
 * httpmethod}, {@code httppath}, {@code httproute}, {@code httpremote}, and {@code httpparams},
 * {@code httpquery}, {@code httpheaders} as form-encoded maps).
 */
public final class HttpRequest {

    public static final String TYPE = "http.request";
    public static final String METHOD = "httpmethod";
    public static final String PATH = "httppath";
    public static final String ROUTE = "httproute";
    public static final String REMOTE = "httpremote";
    public static final String PARAMS = "httpparams";
    public static final String QUERY = "httpquery";
    public static final String HEADERS = "httpheaders";

    private final Event event;
    private final Map<String, String> params;
    private final Map<String, String> query;
    private final Map<String, String> headers;

    private HttpRequest(Event event) {
        this.event = event;
        Map<String, String> ext = event.extensions();
        this.params = decodeForm(ext.getOrDefault(PARAMS, ""));
        this.query = decodeForm(ext.getOrDefault(QUERY, ""));
        this.headers = decodeForm(ext.getOrDefault(HEADERS, ""));
    }

    /**
     * @throws IllegalArgumentException if the event did not come from an HTTP trigger
     */
    public static HttpRequest of(Event event) {
        if (!isHttp(event)) {
            throw new IllegalArgumentException(
                    "event "
                            + event.id()
                            + " of type "
                            + event.type()
                            + " is not an "
                            + TYPE
                            + " event");
        }
        return new HttpRequest(event);
    }

    public static boolean isHttp(Event event) {
        return TYPE.equals(event.type()) && event.extensions().containsKey(METHOD);
    }

    public String method() {
        return event.extensions().get(METHOD);
    }

    public String path() {
        return event.extensions().getOrDefault(PATH, "/");
    }

    /** The route that matched, e.g. {@code /u/{user}}. */
    public String route() {
        return event.extensions().getOrDefault(ROUTE, "");
    }

    public String remoteAddress() {
        return event.extensions().getOrDefault(REMOTE, "");
    }

    /**
     * A route parameter: for route {@code /u/{user}} and path {@code /u/alice}, {@code
     * param("user")} is alice.
     */
    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    public Map<String, String> params() {
        return params;
    }

    /** A query parameter (the first value when repeated). */
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    public Map<String, String> queryParams() {
        return query;
    }

    /** A request header, by case-insensitive name (repeated headers joined by ", "). */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /** Request headers with lower-case names. Authorization and cookies are never included. */
    public Map<String, String> headers() {
        return headers;
    }

    public byte[] body() {
        return event.data();
    }

    public String bodyAsString() {
        return event.dataAsString();
    }

    public Optional<String> contentType() {
        return event.dataContentType();
    }

    /** Encodes a map as {@code k=v&k2=v2} (UTF-8 form encoding), as the extensions carry them. */
    public static String encodeForm(Map<String, String> map) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : map.entrySet()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(
                            URLEncoder.encode(
                                    Objects.toString(e.getValue(), ""), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    /** Decodes {@link #encodeForm}; the first value wins for a repeated key. Unmodifiable. */
    public static Map<String, String> decodeForm(String form) {
        Map<String, String> map = new LinkedHashMap<>();
        if (form == null || form.isEmpty()) {
            return Map.of();
        }
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                map.putIfAbsent(
                        URLDecoder.decode(key, StandardCharsets.UTF_8),
                        URLDecoder.decode(value, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException malformed) {
                map.putIfAbsent(key, value);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
