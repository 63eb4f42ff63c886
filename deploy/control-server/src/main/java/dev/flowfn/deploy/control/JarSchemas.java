package dev.flowfn.deploy.control;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;

/**
 * The Avro schemas a function jar ships ({@code *.avsc} entries), so that the records it emits can
 * be decoded by {@code flowfn tail} and any other consumer through {@code flowfn.schemas}. Avro's
 * own bundled schemas are not the function's and are skipped; an entry that is not a schema is
 * reported, not fatal: the function itself does not depend on it.
 */
final class JarSchemas {

    private static final String AVRO_LIBRARY = "org/apache/avro/";

    /** The schemas found, and one line per {@code .avsc} entry that could not be read. */
    record Found(List<Schema> schemas, List<String> problems) {

        List<String> names() {
            return schemas.stream().map(Schema::getFullName).toList();
        }
    }

    static Found in(byte[] jar) {
        List<Schema> schemas = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(jar))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                if (e.isDirectory() || !name.endsWith(".avsc") || name.startsWith(AVRO_LIBRARY)) {
                    continue;
                }
                String text = new String(zip.readAllBytes(), StandardCharsets.UTF_8);
                try {
                    schemas.add(new Schema.Parser().parse(text));
                } catch (SchemaParseException ex) {
                    problems.add(
                            name
                                    + " in the jar is not an Avro schema ("
                                    + ex.getMessage()
                                    + "); records written with it cannot be decoded by flowfn"
                                    + " tail; fix the file or leave it out of the jar");
                }
            }
        } catch (IOException e) {
            // JarInspector.check has read this jar already; a failure here is not the user's
            throw new ApiException(500, "could not read the jar's schemas: " + e.getMessage());
        }
        return new Found(schemas, problems);
    }

    private JarSchemas() {}
}
