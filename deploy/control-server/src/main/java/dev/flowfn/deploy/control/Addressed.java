package dev.flowfn.deploy.control;

import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionAddress;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.InvalidSpecException;

/**
 * A function address from a request ({@code resize}, {@code resize:3}, {@code resize:prod}),
 * checked against the registry: the function is deployed, the version kept, the alias there.
 *
 * @param head the function's latest record
 * @param address what the request named
 */
record Addressed(FunctionSpec head, FunctionAddress address) {

    /**
     * @throws ApiException 400 for an address that cannot be one, 404 for a function, version or
     *     alias that is not there (each saying how to find the right one)
     */
    static Addressed of(FunctionRegistry registry, String text) {
        FunctionAddress address;
        try {
            address = FunctionAddress.parse(text);
        } catch (InvalidSpecException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        FunctionSpec head = registry.existing(address.function());
        if (address.pinned()) {
            VersionHistory.requireKept(head, address.version(), "'" + text + "'");
        } else if (address.alias() != null
                && FunctionVersions.alias(head, address.alias()) == null) {
            throw VersionHistory.noAlias(head, address.alias());
        }
        return new Addressed(head, address);
    }

    /** The version the address runs (an alias's stable version while it splits). */
    FunctionSpec version() {
        if (address.pinned()) {
            return FunctionVersions.version(head, address.version());
        }
        if (address.alias() != null) {
            Alias a = FunctionVersions.alias(head, address.alias());
            return FunctionVersions.version(head, a.getVersion());
        }
        return head;
    }

    /** The version number or alias an invocation carries; null for the latest. */
    String qualifier() {
        return address.qualifier();
    }
}
