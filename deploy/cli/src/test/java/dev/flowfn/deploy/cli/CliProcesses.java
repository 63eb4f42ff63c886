package dev.flowfn.deploy.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code flowfn} as its own process, as a user runs it: the tests that need a real process. */
public final class CliProcesses {

    private CliProcesses() {}

    /**
     * The {@code flowfn ARGS} command on this test's class path, with a heap of {@code maxHeap}
     * (e.g. {@code 768m}) and none of the caller's {@code FLOWFN_*} server settings.
     */
    public static ProcessBuilder flowfn(String maxHeap, String... args) {
        List<String> command =
                new ArrayList<>(
                        List.of(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-Xmx" + maxHeap,
                                "-cp",
                                System.getProperty("java.class.path"),
                                FlowfnCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("FLOWFN_SERVER");
        pb.environment().remove("FLOWFN_TOKEN");
        pb.environment().remove("FLOWFN_S3_WEBHOOK_TOKEN");
        return pb;
    }

    /**
     * Starts a daemon thread that adds each line {@code process} prints to {@code lines} (and, with
     * a {@code prefix}, echoes it to the test's output) until the process ends.
     */
    public static Thread follow(Process process, List<String> lines, String prefix) {
        Thread reader =
                new Thread(
                        () -> {
                            try (BufferedReader r =
                                    new BufferedReader(
                                            new InputStreamReader(
                                                    process.getInputStream(),
                                                    StandardCharsets.UTF_8))) {
                                for (String line = r.readLine();
                                        line != null;
                                        line = r.readLine()) {
                                    lines.add(line);
                                    if (prefix != null) {
                                        System.out.println(prefix + line);
                                    }
                                }
                            } catch (IOException ignored) {
                                // the process ended or was killed
                            }
                        },
                        "follow-" + process.pid());
        reader.setDaemon(true);
        reader.start();
        return reader;
    }
}
