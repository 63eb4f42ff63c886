package dev.flowfn.examples.iotlogs;

/** A line in none of the formats; the message quotes the line and says why (dead letter reason). */
public final class UnparsableLineException extends IllegalArgumentException {

    private static final int QUOTE_LIMIT = 200;

    public UnparsableLineException(String line, String reason) {
        super("cannot parse device log line " + quote(line) + ": " + reason);
    }

    /** The line in double quotes, control characters escaped, cut at 200 characters. */
    static String quote(String line) {
        StringBuilder q = new StringBuilder("\"");
        int n = Math.min(line.length(), QUOTE_LIMIT);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7f) {
                q.append(String.format("\\x%02X", (int) c));
            } else {
                q.append(c);
            }
        }
        q.append('"');
        if (line.length() > QUOTE_LIMIT) {
            q.append(" (").append(line.length() - QUOTE_LIMIT).append(" more characters)");
        }
        return q.toString();
    }
}
