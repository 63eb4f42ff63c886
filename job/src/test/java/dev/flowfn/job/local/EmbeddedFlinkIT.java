package dev.flowfn.job.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;

/**
 * A MiniCluster as {@code flowfn local} starts it opens no socket on the machine's other
 * interfaces: every listening socket it adds to this JVM is bound to the loopback interface. Read
 * from {@code /proc} (Linux), so it sees every server, also those Flink starts on its own.
 */
class EmbeddedFlinkIT {

    @Test
    void listensOnTheLoopbackInterfaceOnly() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/self/net/tcp")), "Linux /proc");
        Map<Long, String> before = listening();
        Configuration conf = new Configuration();
        conf.setString("rest.port", "0");
        Map<Long, String> added = new HashMap<>();
        try (EmbeddedFlink flink = EmbeddedFlink.start(conf, 1)) {
            listening()
                    .forEach(
                            (inode, address) -> {
                                if (!before.containsKey(inode)) {
                                    added.put(inode, address);
                                }
                            });
        }
        assertThat(added).as("listening sockets the MiniCluster opened").isNotEmpty();
        assertThat(added.values())
                .as("addresses they listen on (hex, as /proc/net/tcp* writes them)")
                .allMatch(EmbeddedFlinkIT::loopback);
    }

    /** This process's listening TCP sockets: inode -> local address as {@code /proc} gives it. */
    private static Map<Long, String> listening() throws IOException {
        Set<Long> mine = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        mine.add(Long.parseLong(target.substring(8, target.length() - 1)));
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor went away while listing
                }
            }
        }
        Map<Long, String> out = new HashMap<>();
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.isReadable(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                long inode = Long.parseLong(f[9]);
                if (f[3].equals("0A") && mine.contains(inode)) { // 0A: LISTEN
                    out.put(inode, f[1].substring(0, f[1].indexOf(':')));
                }
            }
        }
        return out;
    }

    /**
     * 127.0.0.0/8 (IPv4, its bytes in host order: the first octet last), ::1, or 127.0.0.0/8 mapped
     * into IPv6.
     */
    private static boolean loopback(String hex) {
        return hex.length() == 8
                ? hex.endsWith("7F")
                : hex.equals("00000000000000000000000001000000")
                        || (hex.startsWith("0000000000000000FFFF0000") && hex.endsWith("7F"));
    }
}
