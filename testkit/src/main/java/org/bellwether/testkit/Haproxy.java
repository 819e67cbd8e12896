package org.bellwether.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy (Debian's package) routing TCP connections to the node whose REST health check answers 200, the way
 * operators put it in front of Patroni: {@code option httpchk OPTIONS /primary} against each node's REST port.
 */
public final class Haproxy implements AutoCloseable {
    /** One PostgreSQL server and the REST port that says whether it should get traffic. */
    public record Backend(String name, int postgresPort, int restPort) {}

    private final ManagedProcess process;
    private final Path dir;
    private final int port;

    private Haproxy(ManagedProcess process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** Starts HAProxy on a free port in front of {@code backends}, checking {@code checkPath} (e.g. /primary). */
    public static Haproxy start(List<Backend> backends, String checkPath) {
        String binary = findBinary();
        Path dir = TestDirs.create("haproxy");
        int port = FreePorts.next();
        StringBuilder cfg = new StringBuilder("""
                global
                  maxconn 200
                defaults
                  mode tcp
                  timeout connect 2s
                  timeout client 60s
                  timeout server 60s
                  timeout check 2s
                listen postgres
                  bind 127.0.0.1:%d
                  option httpchk OPTIONS %s
                  http-check expect status 200
                  default-server inter 300ms fastinter 300ms downinter 300ms fall 2 rise 1 on-marked-down shutdown-sessions
                """.formatted(port, checkPath));
        for (Backend b : backends) {
            cfg.append("  server %s 127.0.0.1:%d check port %d%n".formatted(b.name(), b.postgresPort(), b.restPort()));
        }
        try {
            Files.writeString(dir.resolve("haproxy.cfg"), cfg.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ManagedProcess process = ManagedProcess.start(
                "haproxy",
                List.of(binary, "-db", "-f", dir.resolve("haproxy.cfg").toString()),
                dir.resolve("haproxy.log"),
                Map.of());
        return new Haproxy(process, dir, port);
    }

    private static String findBinary() {
        for (String candidate : List.of("/usr/sbin/haproxy", "/usr/bin/haproxy", "/usr/local/sbin/haproxy")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("haproxy is not installed (Debian package 'haproxy'; bin/install-deps)");
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.close();
        TestDirs.delete(dir);
    }
}
