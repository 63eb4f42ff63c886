package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.api.CreatedKey;
import dev.flowfn.deploy.control.api.KeyEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "keys",
        mixinStandardHelpOptions = true,
        description =
                "Invocation keys for HTTP triggers with auth=key. Callers send 'Authorization: Bearer <key>'.",
        subcommands = {
            KeysCommand.Create.class,
            KeysCommand.ListKeys.class,
            KeysCommand.Revoke.class
        })
final class KeysCommand extends CliCommand implements Runnable {

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description =
                    "Create a key for a function. The key is printed once; only its hash is stored.")
    static final class Create extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(paramLabel = "FUNCTION")
        String function;

        @Override
        public Integer call() {
            CreatedKey key = server.client().createKey(function);
            err().println(
                            "Key "
                                    + key.keyId()
                                    + " for "
                                    + function
                                    + " (shown once; store it safely):");
            out().println(key.key());
            return 0;
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List a function's key ids (never the keys).")
    static final class ListKeys extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(paramLabel = "FUNCTION")
        String function;

        @Override
        public Integer call() {
            List<KeyEntry> keys = server.client().keys(function);
            if (keys.isEmpty()) {
                out().println(
                                "No keys for "
                                        + function
                                        + ". Create one with: ./flowfn keys create "
                                        + function);
            }
            keys.forEach(k -> out().println(k.keyId() + "  created " + k.createdAt()));
            return 0;
        }
    }

    @Command(
            name = "revoke",
            mixinStandardHelpOptions = true,
            description = "Revoke a key at once.")
    static final class Revoke extends CliCommand implements Callable<Integer> {
        @Mixin ServerOptions server;

        @Parameters(paramLabel = "KEY_ID")
        String keyId;

        @Override
        public Integer call() {
            server.client().revokeKey(keyId);
            out().println("Revoked " + keyId);
            return 0;
        }
    }
}
