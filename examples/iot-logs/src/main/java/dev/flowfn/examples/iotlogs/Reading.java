package dev.flowfn.examples.iotlogs;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A reading being assembled from one line's fields; {@link #build} makes the Avro record. */
final class Reading {

    private static final Map<String, String> LEVELS =
            Map.ofEntries(
                    Map.entry("TRACE", "TRACE"),
                    Map.entry("DEBUG", "DEBUG"),
                    Map.entry("INFO", "INFO"),
                    Map.entry("NOTICE", "INFO"),
                    Map.entry("WARN", "WARN"),
                    Map.entry("WARNING", "WARN"),
                    Map.entry("ERROR", "ERROR"),
                    Map.entry("ERR", "ERROR"),
                    Map.entry("CRIT", "FATAL"),
                    Map.entry("CRITICAL", "FATAL"),
                    Map.entry("FATAL", "FATAL"));

    String device;
    Instant time;
    String level;
    String firmware;
    String message;
    final Map<String, Double> metrics = new LinkedHashMap<>();
    final Map<String, String> tags = new LinkedHashMap<>();

    /** The canonical level of {@code word} (WARNING -> WARN), or null if it is none. */
    static String level(String word) {
        return LEVELS.get(word.toUpperCase(Locale.ROOT));
    }

    /** A field by name: the well-known ones go to their place, numbers to metrics, rest tags. */
    void field(String line, String key, String value) {
        switch (key.toLowerCase(Locale.ROOT)) {
            case "time", "ts", "timestamp" -> time = Times.parse(line, value);
            case "level", "lvl", "severity" -> {
                String l = level(value);
                if (l == null) {
                    throw new UnparsableLineException(line, "unknown level '" + value + "'");
                }
                level = l;
            }
            case "fw", "firmware", "version" -> firmware = value;
            case "msg", "message" -> message = value;
            case "device", "dev", "device_id", "deviceid" -> {
                if (device == null) {
                    device = value;
                }
            }
            default -> {
                Double number = number(value);
                if (number != null) {
                    metrics.put(key, number);
                } else {
                    tags.put(key, value);
                }
            }
        }
    }

    static Double number(String value) {
        if (value.isEmpty() || !(Character.isDigit(value.charAt(value.length() - 1)))) {
            return null;
        }
        try {
            double d = Double.parseDouble(value);
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }

    DeviceReading build(String line, String format, String fallbackDevice, Instant received) {
        String dev = fallbackDevice != null ? fallbackDevice : device;
        if (dev == null || dev.isBlank()) {
            throw new UnparsableLineException(
                    line, "no device id (neither in the MQTT topic nor a device= field)");
        }
        if (metrics.isEmpty() && tags.isEmpty() && message == null) {
            throw new UnparsableLineException(line, "no fields (expected key=value pairs)");
        }
        return DeviceReading.newBuilder()
                .setDevice(dev)
                .setTime(time != null ? time : received)
                .setLevel(level != null ? level : "INFO")
                .setMetrics(new LinkedHashMap<>(metrics))
                .setTags(new LinkedHashMap<>(tags))
                .setFirmware(firmware)
                .setMessage(message)
                .setFormat(format)
                .build();
    }
}
