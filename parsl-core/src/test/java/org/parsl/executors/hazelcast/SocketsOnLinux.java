package org.parsl.executors.hazelcast;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Listening TCP sockets read from Linux's /proc, to assert what binds where. */
final class SocketsOnLinux {

    /** A listening socket: its local address (hex, as in /proc/net/tcp) and port. */
    record Listener(String hexAddress, int port, String inode, boolean ipv6) {
        boolean isLoopback() {
            return ipv6 ? hexAddress.equals("00000000000000000000000001000000") || hexAddress.equals("0000000000000000FFFF00000100007F")
                    : hexAddress.equals("0100007F");
        }
    }

    private SocketsOnLinux() {
    }

    static List<Listener> listeners() throws IOException {
        List<Listener> all = new ArrayList<>();
        read(Path.of("/proc/net/tcp"), false, all);
        read(Path.of("/proc/net/tcp6"), true, all);
        return all;
    }

    private static void read(Path file, boolean ipv6, List<Listener> into) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+");
            if (f[3].equals("0A")) { // LISTEN
                String[] local = f[1].split(":");
                into.add(new Listener(local[0], Integer.parseInt(local[1], 16), f[9], ipv6));
            }
        }
    }

    static List<Listener> onPort(int port) throws IOException {
        return listeners().stream().filter(l -> l.port() == port).toList();
    }

    /** The listening sockets a process holds. */
    static List<Listener> ofProcess(long pid) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return listeners().stream().filter(l -> inodes.contains(l.inode())).toList();
    }
}
