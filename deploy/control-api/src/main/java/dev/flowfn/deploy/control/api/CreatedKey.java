package dev.flowfn.deploy.control.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A new invocation key ({@code 201} of {@code POST /v1/functions/{name}/keys}). The secret {@code
 * key} is shown this once; the server keeps only its hash.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatedKey(String keyId, String key, String function) {

    /** Leaves the secret out. */
    @Override
    public String toString() {
        return "CreatedKey[keyId=" + keyId + ", function=" + function + "]";
    }
}
