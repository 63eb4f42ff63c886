package dev.flowfn.examples.hello;

import dev.flowfn.api.Context;
import dev.flowfn.api.Event;
import dev.flowfn.api.Handler;
import dev.flowfn.api.Result;
import java.util.Locale;

/**
 * Upper-cases its input. {@code "hello"} becomes {@code "HELLO"}; a JSON string stays a JSON
 * string, so the result keeps the input's content type.
 */
public final class Upper implements Handler {

    @Override
    public Result handle(Event event, Context context) {
        String upper = event.dataAsString().toUpperCase(Locale.ROOT);
        context.logger().debug("upper-cased " + event.data().length + " bytes");
        return event.dataContentType()
                .map(
                        type ->
                                Result.ok(
                                        upper.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                                        type))
                .orElseGet(() -> Result.ok(upper));
    }
}
