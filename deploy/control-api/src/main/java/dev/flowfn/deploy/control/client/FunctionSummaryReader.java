package dev.flowfn.deploy.control.client;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.flowfn.deploy.control.api.FunctionSummary;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a JSON array of {@link FunctionSummary} with Jackson's streaming parser, not its data
 * binding. {@code flowfn list} is a fresh JVM that reads one answer: an {@code ObjectMapper} and
 * the reflective reader it builds for a record cost more there (some 100 ms on 2 cores) than
 * parsing 1,000 functions. Fields it does not know are skipped, so it reads a whole {@link
 * dev.flowfn.deploy.control.api.FunctionView} too (a server older than {@code ?view=summary}
 * answers those). Stateless; safe from any thread.
 */
final class FunctionSummaryReader {

    private static final JsonFactory FACTORY = new JsonFactory();

    private FunctionSummaryReader() {}

    static List<FunctionSummary> read(byte[] json) throws IOException {
        try (JsonParser p = FACTORY.createParser(json)) {
            expect(p, p.nextToken(), JsonToken.START_ARRAY);
            List<FunctionSummary> functions = new ArrayList<>();
            JsonToken next;
            while ((next = p.nextToken()) == JsonToken.START_OBJECT) {
                functions.add(function(p));
            }
            expect(p, next, JsonToken.END_ARRAY);
            return functions;
        }
    }

    /** One object, the parser on its START_OBJECT; returns with the parser on its END_OBJECT. */
    private static FunctionSummary function(JsonParser p) throws IOException {
        String name = null;
        long version = 0;
        int memoryMb = 0;
        String timeout = null;
        String handler = null;
        List<String> triggers = List.of();
        for (String field = p.nextFieldName(); field != null; field = p.nextFieldName()) {
            p.nextToken();
            switch (field) {
                case "name" -> name = text(p);
                case "version" -> version = p.getValueAsLong();
                case "memoryMb" -> memoryMb = p.getValueAsInt();
                case "timeout" -> timeout = text(p);
                case "handler" -> handler = text(p);
                case "triggers" -> triggers = texts(p);
                default -> p.skipChildren();
            }
        }
        expect(p, p.currentToken(), JsonToken.END_OBJECT);
        return new FunctionSummary(name, version, memoryMb, timeout, handler, triggers);
    }

    /** A string, number or boolean as text; null for null; anything else is an error. */
    private static String text(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        if (token == null || !token.isScalarValue()) {
            throw new JsonParseException(p, "expected a value, found " + token);
        }
        return p.getText();
    }

    private static List<String> texts(JsonParser p) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return List.of();
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY);
        List<String> values = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            values.add(text(p));
        }
        return values;
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected)
            throws JsonParseException {
        if (actual != expected) {
            throw new JsonParseException(p, "expected " + expected + ", found " + actual);
        }
    }
}
