package dev.flowfn.deploy.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.flowfn.deploy.control.api.DeployRequest;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Deploy requests for tests, written as the JSON fields a user would send. */
public final class DeploySpecs {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS =
            Arrays.stream(DeployRequest.class.getRecordComponents())
                    .map(RecordComponent::getName)
                    .collect(Collectors.toSet());

    /**
     * A request with these fields ({@code "name", "upper", "handler", "acme.Upper", ...}); a field
     * name DeployRequest does not have fails, so a typo does not go unseen.
     */
    public static DeployRequest of(Object... namesAndValues) {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            String name = (String) namesAndValues[i];
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("DeployRequest has no field " + name);
            }
            fields.put(name, namesAndValues[i + 1]);
        }
        return JSON.convertValue(fields, DeployRequest.class);
    }

    private DeploySpecs() {}
}
