package dev.flowfn.deploy.cli;

import dev.flowfn.deploy.control.client.ControlClient;
import dev.flowfn.deploy.local.ClientConfigFile;
import dev.flowfn.deploy.local.DataDir;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a command finds the control server: flags, then environment, then the local data folder. */
final class ServerOptions {

    @Option(
            names = "--server",
            paramLabel = "URL",
            description =
                    "Control server URL (default: $FLOWFN_SERVER, else the one 'flowfn local' runs)")
    URI server;

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description =
                    "Data folder of 'flowfn local' (default: $FLOWFN_DATA_DIR, else ~/.flowfn)")
    Path dataDir;

    ControlClient client() {
        String envServer = System.getenv("FLOWFN_SERVER");
        String envToken = System.getenv("FLOWFN_TOKEN");
        Path file = DataDir.resolve(dataDir).clientConfig();
        ClientConfigFile local = null;
        if (Files.exists(file)) {
            try {
                local = ClientConfigFile.read(file);
            } catch (IOException e) {
                throw new CliException("cannot read " + file + ": " + e.getMessage());
            }
        }
        URI url =
                server != null
                        ? server
                        : envServer != null
                                ? URI.create(envServer)
                                : local != null ? URI.create(local.server()) : null;
        String token = envToken != null ? envToken : local != null ? local.token() : null;
        if (url == null || token == null) {
            throw new CliException(
                    "no Flowfn server found (no "
                            + file
                            + "); start one with ./flowfn local,"
                            + " or set FLOWFN_SERVER and FLOWFN_TOKEN");
        }
        return new ControlClient(url, token);
    }
}
