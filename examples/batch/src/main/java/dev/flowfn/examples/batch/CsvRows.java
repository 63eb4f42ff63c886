package dev.flowfn.examples.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * CSV (RFC 4180: comma separated, fields in double quotes may hold commas and doubled quotes) to
 * Avro records. The header names the columns and, optionally, their types: {@code
 * id:long,amount:double,paid:boolean,customer} (no type = string). A row that has the wrong number
 * of fields, a value that does not parse as its column's type, or an unterminated quote is rejected
 * with a reason.
 */
final class CsvRows {

    /** A row that could not be turned into a record. */
    static final class RejectedRow extends Exception {
        RejectedRow(String reason) {
            super(reason);
        }
    }

    private final Schema schema;
    private final List<String> names = new ArrayList<>();
    private final List<String> types = new ArrayList<>();

    CsvRows(String header, String recordName) throws RejectedRow {
        SchemaBuilder.FieldAssembler<Schema> fields =
                SchemaBuilder.record(recordName).namespace("dev.flowfn.examples.batch").fields();
        for (String column : split(header)) {
            String[] nt = column.trim().split(":", 2);
            String name = nt[0].trim();
            String type = nt.length == 2 ? nt[1].trim().toLowerCase(Locale.ROOT) : "string";
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new RejectedRow(
                        "header column '"
                                + column
                                + "' is not a valid name ([A-Za-z_][A-Za-z0-9_]*)");
            }
            switch (type) {
                case "string" -> fields = fields.requiredString(name);
                case "long" -> fields = fields.requiredLong(name);
                case "int" -> fields = fields.requiredInt(name);
                case "double" -> fields = fields.requiredDouble(name);
                case "boolean" -> fields = fields.requiredBoolean(name);
                default ->
                        throw new RejectedRow(
                                "header column '"
                                        + column
                                        + "' has type '"
                                        + type
                                        + "'; use string, long, int, double or boolean");
            }
            names.add(name);
            types.add(type);
        }
        schema = fields.endRecord();
    }

    Schema schema() {
        return schema;
    }

    GenericRecord parse(String line) throws RejectedRow {
        List<String> values = split(line);
        if (values.size() != names.size()) {
            throw new RejectedRow(
                    "has " + values.size() + " fields, the header has " + names.size());
        }
        GenericRecord r = new GenericData.Record(schema);
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            try {
                r.put(
                        names.get(i),
                        switch (types.get(i)) {
                            case "long" -> Long.parseLong(v.trim());
                            case "int" -> Integer.parseInt(v.trim());
                            case "double" -> Double.parseDouble(v.trim());
                            case "boolean" -> parseBoolean(v.trim());
                            default -> v;
                        });
            } catch (IllegalArgumentException e) {
                throw new RejectedRow(
                        "column " + names.get(i) + ": '" + v + "' is not a " + types.get(i));
            }
        }
        return r;
    }

    private static boolean parseBoolean(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(v);
    }

    /** Splits one line into fields (RFC 4180 quoting). */
    static List<String> split(String line) throws RejectedRow {
        List<String> out = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(field.toString());
                field.setLength(0);
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new RejectedRow("a quoted field is not closed");
        }
        out.add(field.toString());
        return out;
    }
}
