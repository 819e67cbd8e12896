package org.bellwether.testkit;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real etcd cluster of 1 or 3 members on 127.0.0.1, made of Debian's {@code etcd} binary (found on PATH): free
 * ports, a temporary directory per cluster, and processes stopped by PID in {@link #close()}.
 *
 * <p>Election timing is shortened ({@code --heartbeat-interval 100 --election-timeout 1000}) so that start-up and
 * leader changes take about a second. The smallest lease TTL etcd then grants is 1.5 s.
 *
 * <p>Health is probed over etcd's HTTP {@code /health} endpoint with {@code java.net.http}, so the kit needs no etcd
 * client library.
 */
public final class EtcdCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EtcdCluster.class);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern HEALTHY = Pattern.compile("\"health\"\\s*:\\s*\"?true\"?");
    private static final Pattern MEMBER_ID = Pattern.compile("\"member_id\"\\s*:\\s*\"?(\\d+)\"?");
    private static final Pattern LEADER_ID = Pattern.compile("\"leader\"\\s*:\\s*\"?(\\d+)\"?");

    private final Path baseDir;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> clientPorts = new ArrayList<>();
    private final List<Integer> peerPorts = new ArrayList<>();
    private final List<ManagedProcess> processes = new ArrayList<>();
    /** With TLS, clients must connect over https with a certificate the CA signed; probes use a plain port. */
    private final Optional<Tls> tls;

    private final List<Integer> probePorts = new ArrayList<>();
    private final String token = "bellwether-" + UUID.randomUUID();
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();

    /** The server's certificate and key, and the CA whose certificates it accepts from clients. */
    public record Tls(Path ca, Path cert, Path key) {}

    private EtcdCluster(int size, Optional<Tls> tls) {
        this.baseDir = TestDirs.create("etcd-cluster-");
        this.tls = tls;
        for (int i = 0; i < size; i++) {
            names.add("etcd" + i);
            clientPorts.add(FreePorts.next());
            peerPorts.add(FreePorts.next());
            probePorts.add(FreePorts.next());
            processes.add(null);
        }
    }

    /** Starts {@code size} (1 or 3) members and waits until every one reports healthy. */
    public static EtcdCluster startCluster(int size) {
        return start(size, Optional.empty());
    }

    /**
     * Starts members that serve clients over TLS only and require a client certificate signed by {@code tls}'s CA
     * ({@code --client-cert-auth}).
     */
    public static EtcdCluster startSecured(int size, Tls tls) {
        return start(size, Optional.of(tls));
    }

    private static EtcdCluster start(int size, Optional<Tls> tls) {
        if (size != 1 && size != 3) {
            throw new IllegalArgumentException("an etcd test cluster has 1 or 3 members, not " + size);
        }
        requireBinary();
        EtcdCluster cluster = new EtcdCluster(size, tls);
        try {
            for (int i = 0; i < size; i++) {
                cluster.launch(i);
            }
            cluster.awaitHealthy(START_TIMEOUT);
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public int size() {
        return names.size();
    }

    /** {@code http(s)://127.0.0.1:<client port>} of every member, running or not, in member order. */
    public List<String> endpoints() {
        return clientPorts.stream().map(p -> scheme() + "://127.0.0.1:" + p).toList();
    }

    private String scheme() {
        return tls.isPresent() ? "https" : "http";
    }

    /** {@code 127.0.0.1:<client port>} of every member, running or not, in member order. */
    public List<String> hostPorts() {
        return clientPorts.stream().map(p -> "127.0.0.1:" + p).toList();
    }

    /** The PIDs of the members running now, for a caller that must be able to stop them without this object. */
    public List<Long> pids() {
        return processes.stream()
                .filter(p -> p != null && p.isAlive())
                .map(ManagedProcess::pid)
                .toList();
    }

    /** The directory that holds every member's data and log; {@link #close()} deletes it. */
    public Path directory() {
        return baseDir;
    }

    public boolean isRunning(int member) {
        ManagedProcess process = processes.get(member);
        return process != null && process.isAlive();
    }

    /** Crashes one member with SIGKILL and waits until it is gone. Its data directory stays. */
    public void kill(int member) {
        ManagedProcess process = processes.get(member);
        if (process != null && process.isAlive()) {
            process.signal("KILL");
            process.waitFor(Duration.ofSeconds(10));
        }
    }

    /** Freezes one member with SIGSTOP: its connections stay open but nothing answers (a hung or partitioned node). */
    public void freeze(int member) {
        ManagedProcess process = processes.get(member);
        if (process != null && process.isAlive()) {
            process.signal("STOP");
        }
    }

    /** Lets a frozen member run again (SIGCONT). */
    public void thaw(int member) {
        ManagedProcess process = processes.get(member);
        if (process != null && process.isAlive()) {
            process.signal("CONT");
        }
    }

    /** Stops one member with SIGTERM (SIGKILL after a grace period). Its data directory stays. */
    public void stop(int member) {
        ManagedProcess process = processes.get(member);
        if (process != null) {
            process.close();
        }
    }

    /**
     * Starts a stopped member again on its old ports and data directory and waits until it accepts connections. Call
     * {@link #awaitHealthy(Duration)} to wait for it to rejoin (which needs a quorum).
     */
    public void start(int member) {
        if (isRunning(member)) {
            throw new IllegalStateException(names.get(member) + " is already running");
        }
        launch(member);
        awaitClientPort(member);
    }

    /**
     * Starts every stopped member at once and waits until each accepts connections: after the whole cluster went
     * down, a member serves clients only once a quorum is back, so members started one by one would wait forever.
     */
    public void startStopped() {
        List<Integer> stopped = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            if (!isRunning(i)) {
                launch(i);
                stopped.add(i);
            }
        }
        stopped.forEach(this::awaitClientPort);
    }

    private void awaitClientPort(int member) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (probe(member).isEmpty()) {
            checkAlive(member);
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(names.get(member) + " did not open its client port in " + START_TIMEOUT
                        + "; log: " + processes.get(member).log());
            }
            pause(100);
        }
    }

    /** Waits until every running member reports healthy (it has a leader and can serve a quorum read). */
    public void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int i = 0; i < size(); i++) {
            if (!isRunning(i)) {
                continue;
            }
            while (!probe(i).map(body -> HEALTHY.matcher(body).find()).orElse(false)) {
                checkAlive(i);
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(names.get(i) + " is not healthy after " + timeout + "; log: "
                            + processes.get(i).log() + "\n"
                            + tail(processes.get(i).log()));
                }
                pause(100);
            }
        }
    }

    /** The index of the member that is etcd's raft leader, as the running members report it. */
    public Optional<Integer> leaderIndex() {
        String leaderId = null;
        Map<String, Integer> indexById = new HashMap<>();
        for (int i = 0; i < size(); i++) {
            if (!isRunning(i)) {
                continue;
            }
            Optional<String> status = post(i, "/v3/maintenance/status", "{}");
            if (status.isEmpty()) {
                continue;
            }
            Matcher member = MEMBER_ID.matcher(status.get());
            Matcher leader = LEADER_ID.matcher(status.get());
            if (member.find()) {
                indexById.put(member.group(1), i);
            }
            if (leader.find()) {
                leaderId = leader.group(1);
            }
        }
        return Optional.ofNullable(leaderId).map(indexById::get);
    }

    /** Stops every member by PID and deletes the cluster's directory. */
    @Override
    public void close() {
        for (int i = 0; i < processes.size(); i++) {
            try {
                stop(i);
            } catch (RuntimeException e) {
                LOG.warn("stopping {} failed", names.get(i), e);
            }
        }
        TestDirs.delete(baseDir);
    }

    private void launch(int member) {
        String name = names.get(member);
        String clientUrl = scheme() + "://127.0.0.1:" + clientPorts.get(member);
        String peerUrl = "http://127.0.0.1:" + peerPorts.get(member);
        List<String> initialCluster = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            initialCluster.add(names.get(i) + "=http://127.0.0.1:" + peerPorts.get(i));
        }
        // The initial-cluster flags only matter on the first start; a restart reads the member from its data dir.
        List<String> command = new ArrayList<>(List.of(
                "etcd",
                "--name=" + name,
                "--data-dir=" + baseDir.resolve(name),
                "--listen-client-urls=" + clientUrl,
                "--advertise-client-urls=" + clientUrl,
                "--listen-peer-urls=" + peerUrl,
                "--initial-advertise-peer-urls=" + peerUrl,
                "--initial-cluster=" + String.join(",", initialCluster),
                "--initial-cluster-state=new",
                "--initial-cluster-token=" + token,
                "--heartbeat-interval=100",
                "--election-timeout=1000",
                "--logger=zap",
                "--log-outputs=stderr"));
        tls.ifPresent(t -> command.addAll(List.of(
                "--cert-file=" + t.cert(),
                "--key-file=" + t.key(),
                "--trusted-ca-file=" + t.ca(),
                "--client-cert-auth",
                // /health over plain HTTP on a port of its own, so the kit needs no client certificate to probe.
                "--listen-metrics-urls=http://127.0.0.1:" + probePorts.get(member))));
        processes.set(member, ManagedProcess.start(name, command, baseDir.resolve(name + ".log"), Map.of()));
        LOG.info(
                "started etcd member {} (pid {}) on {}",
                name,
                processes.get(member).pid(),
                clientUrl);
    }

    private Optional<String> probe(int member) {
        return get(member, "/health");
    }

    private Optional<String> get(int member, String path) {
        HttpRequest request = HttpRequest.newBuilder(uri(member, path))
                .timeout(Duration.ofSeconds(2))
                .GET()
                .build();
        return send(request);
    }

    private Optional<String> post(int member, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(uri(member, path))
                .timeout(Duration.ofSeconds(2))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return send(request);
    }

    private Optional<String> send(HttpRequest request) {
        try {
            return Optional.of(http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                    .body());
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while probing etcd", e);
        }
    }

    private URI uri(int member, String path) {
        int port = tls.isPresent() ? probePorts.get(member) : clientPorts.get(member);
        return URI.create("http://127.0.0.1:" + port + path);
    }

    private void checkAlive(int member) {
        ManagedProcess process = processes.get(member);
        if (process != null && !process.isAlive()) {
            throw new IllegalStateException(names.get(member) + " exited with " + process.exitValue() + "; log: "
                    + process.log() + "\n" + tail(process.log()));
        }
    }

    private static void requireBinary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "etcd"))) {
                return;
            }
        }
        throw new IllegalStateException("the 'etcd' binary is not on PATH; install Debian's etcd-server package"
                + " (apt-get install etcd-server) to run the etcd integration tests, or skip them with -DskipITs");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for etcd", e);
        }
    }
}
