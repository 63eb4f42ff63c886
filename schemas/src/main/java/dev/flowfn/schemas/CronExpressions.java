package dev.flowfn.schemas;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;

/**
 * Cron expressions as cron triggers take them: 5 fields are UNIX cron (every five minutes: {@code
 * 0/5 * * * *}), 6 or 7 fields are Quartz ({@code 0 0/5 * * * ?}, seconds first, optional year).
 * Parsed by cron-utils.
 */
public final class CronExpressions {

    private static final CronParser UNIX =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final CronParser QUARTZ =
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

    /**
     * @throws IllegalArgumentException naming what is wrong, for an expression neither kind takes
     */
    public static Cron parse(String expr) {
        String trimmed = expr == null ? "" : expr.trim();
        int fields = trimmed.isEmpty() ? 0 : trimmed.split("\\s+").length;
        CronParser parser;
        if (fields == 5) {
            parser = UNIX;
        } else if (fields == 6 || fields == 7) {
            parser = QUARTZ;
        } else {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + trimmed
                            + "' has "
                            + fields
                            + " fields; write 5 (UNIX: minute hour day month weekday, e.g. */5 * * *"
                            + " *) or 6-7 (Quartz: second first, e.g. 0 0/5 * * * ?)");
        }
        try {
            return parser.parse(trimmed).validate();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "cron expression '"
                            + trimmed
                            + "' is not valid "
                            + (parser == UNIX ? "UNIX" : "Quartz")
                            + " cron: "
                            + e.getMessage(),
                    e);
        }
    }

    private CronExpressions() {}
}
