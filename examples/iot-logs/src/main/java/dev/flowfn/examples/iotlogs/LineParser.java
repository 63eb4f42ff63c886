package dev.flowfn.examples.iotlogs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses one device log line in whichever of three formats it is:
 *
 * <ul>
 *   <li>JSON: {@code {"time":"2026-11-24T05:00:01Z","level":"warn","temp":81.5,"fw":"1.4.2"}}
 *       (nested {@code "metrics"} objects are flattened);
 *   <li>RFC 5424 syslog: {@code <165>1 2026-11-24T05:00:01Z sensor-7 fw - ID47 [reading@32473
 *       temp="81.5" unit="C"] fan slow} (severity from PRI, fields from structured data);
 *   <li>key=value, optionally after a timestamp and a level: {@code 2026-11-24T05:00:01Z WARN
 *       temp=81.5 unit=C fw=1.4.2 msg="fan slow"} (values may be double-quoted with \" escapes).
 * </ul>
 *
 * Stateless; any thread.
 */
final class LineParser {

    static final int MAX_LINE_CHARS = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SYSLOG =
            Pattern.compile(
                    "<(\\d{1,3})>(\\d{1,2}) (\\S+) (\\S+) (\\S+) (\\S+) (\\S+) (-|(?:\\[.*?(?<!\\\\)\\])+)(?: (.*))?",
                    Pattern.DOTALL);
    private static final Pattern SD_ELEMENT =
            Pattern.compile("\\[(\\S+?)((?: [^=\\]]+=\"(?:[^\"\\\\]|\\\\.)*\")*)\\]");
    private static final Pattern SD_PARAM =
            Pattern.compile(" ([^=\\]]+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private LineParser() {}

    static DeviceReading parse(String line, String device, Instant received) {
        if (line.length() > MAX_LINE_CHARS) {
            throw new UnparsableLineException(
                    line,
                    "line of "
                            + line.length()
                            + " characters is over the "
                            + MAX_LINE_CHARS
                            + "-character limit");
        }
        String trimmed = line.strip();
        if (trimmed.startsWith("{")) {
            return json(line, trimmed, device, received);
        }
        if (trimmed.startsWith("<")) {
            return syslog(line, trimmed, device, received);
        }
        return keyValue(line, trimmed, device, received);
    }

    static DeviceReading json(String line, String text, String device, Instant received) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new UnparsableLineException(
                    line, "invalid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!root.isObject()) {
            throw new UnparsableLineException(line, "JSON line is not an object");
        }
        Reading r = new Reading();
        addJson(line, r, "", root);
        return r.build(line, "json", device, received);
    }

    private static void addJson(String line, Reading r, String prefix, JsonNode object) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode v = f.getValue();
            if (v.isObject()) {
                // {"metrics": {"temp": 1}} -> temp; {"power": {"v": 3.3}} -> power.v
                String nested =
                        f.getKey().equals("metrics") || f.getKey().equals("fields")
                                ? prefix
                                : prefix + f.getKey() + ".";
                addJson(line, r, nested, v);
            } else if (v.isNumber()) {
                r.metrics.put(prefix + f.getKey(), v.doubleValue());
            } else if (v.isBoolean()) {
                r.metrics.put(prefix + f.getKey(), v.booleanValue() ? 1.0 : 0.0);
            } else if (v.isTextual()) {
                r.field(line, prefix + f.getKey(), v.textValue());
            } else if (!v.isNull()) {
                r.tags.put(prefix + f.getKey(), v.toString());
            }
        }
    }

    static DeviceReading syslog(String line, String text, String device, Instant received) {
        Matcher m = SYSLOG.matcher(text);
        if (!m.matches()) {
            throw new UnparsableLineException(
                    line,
                    "starts with '<' but is not RFC 5424 syslog"
                            + " (<PRI>VERSION TIMESTAMP HOST APP PROCID MSGID [SD] MSG)");
        }
        int pri = Integer.parseInt(m.group(1));
        if (pri > 191 || !m.group(2).equals("1")) {
            throw new UnparsableLineException(
                    line,
                    "syslog PRI must be 0-191 and VERSION 1 (got <" + pri + ">" + m.group(2) + ")");
        }
        Reading r = new Reading();
        r.level = severity(pri % 8);
        if (!m.group(3).equals("-")) {
            r.time = Times.parse(line, m.group(3));
        }
        if (!m.group(4).equals("-")) {
            r.device = m.group(4);
        }
        if (!m.group(5).equals("-")) {
            r.tags.put("app", m.group(5));
        }
        if (!m.group(8).equals("-")) {
            Matcher element = SD_ELEMENT.matcher(m.group(8));
            int end = 0;
            while (element.find()) {
                if (element.start() != end) {
                    break;
                }
                end = element.end();
                Matcher p = SD_PARAM.matcher(element.group(2));
                while (p.find()) {
                    r.field(line, p.group(1), p.group(2).replaceAll("\\\\([\"\\\\\\]])", "$1"));
                }
            }
            if (end != m.group(8).length()) {
                throw new UnparsableLineException(line, "malformed syslog structured data");
            }
        }
        String msg = m.group(9);
        if (msg != null) {
            msg = msg.startsWith("\uFEFF") ? msg.substring(1) : msg;
            if (!msg.isBlank()) {
                r.message = msg.strip();
            }
        }
        return r.build(line, "syslog", device, received);
    }

    private static String severity(int s) {
        return switch (s) {
            case 0, 1, 2 -> "FATAL";
            case 3 -> "ERROR";
            case 4 -> "WARN";
            case 5, 6 -> "INFO";
            default -> "DEBUG";
        };
    }

    static DeviceReading keyValue(String line, String text, String device, Instant received) {
        Reading r = new Reading();
        int i = 0;
        int n = text.length();
        boolean leading = true;
        while (i < n) {
            while (i < n && text.charAt(i) == ' ') {
                i++;
            }
            if (i >= n) {
                break;
            }
            int start = i;
            while (i < n && text.charAt(i) != ' ' && text.charAt(i) != '=') {
                i++;
            }
            String word = text.substring(start, i);
            if (i >= n || text.charAt(i) == ' ') {
                // a bare word: only a leading timestamp or level may be one
                if (leading && r.time == null && Times.tryParse(word) != null) {
                    r.time = Times.tryParse(word);
                    continue;
                }
                if (leading && r.level == null && Reading.level(word) != null) {
                    r.level = Reading.level(word);
                    continue;
                }
                throw new UnparsableLineException(
                        line,
                        "'"
                                + word
                                + "' at character "
                                + (start + 1)
                                + " is not key=value (the format is [TIME] [LEVEL] key=value"
                                + " key=\"quoted value\" ..., or JSON, or RFC 5424 syslog)");
            }
            leading = false;
            if (word.isEmpty()) {
                throw new UnparsableLineException(
                        line, "'=' without a key at character " + (start + 1));
            }
            i++; // '='
            String value;
            if (i < n && text.charAt(i) == '"') {
                StringBuilder v = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = text.charAt(i++);
                    if (c == '\\' && i < n) {
                        v.append(text.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        v.append(c);
                    }
                }
                if (!closed) {
                    throw new UnparsableLineException(
                            line, "unterminated quoted value of '" + word + "'");
                }
                if (i < n && text.charAt(i) != ' ') {
                    throw new UnparsableLineException(
                            line, "no space after the quoted value of '" + word + "'");
                }
                value = v.toString();
            } else {
                int vs = i;
                while (i < n && text.charAt(i) != ' ') {
                    i++;
                }
                value = text.substring(vs, i);
            }
            r.field(line, word, value);
        }
        return r.build(line, "kv", device, received);
    }
}
