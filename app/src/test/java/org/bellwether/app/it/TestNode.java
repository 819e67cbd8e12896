package org.bellwether.app.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.testkit.FreePorts;
import org.bellwether.testkit.ManagedProcess;
import org.bellwether.testkit.Signals;
import org.bellwether.testkit.SystemUser;

/**
 * One node of a test cluster: its ports and directories, its agent process, and ways to look at it and to break it.
 * The agent is Bellwether, or Patroni for side-by-side benchmarks: both read the same configuration file.
 */
final class TestNode implements AutoCloseable {
    static final String SUPERUSER_PASSWORD = "super-secret";

    /** Patroni's launcher on PATH (Debian's {@code patroni} package), if installed. */
    static Optional<Path> patroni() {
        return java.util.Arrays.stream(
                        Optional.ofNullable(System.getenv("PATH")).orElse("").split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "patroni"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Which HA agent runs the node. */
    enum Implementation {
        BELLWETHER,
        PATRONI
    }

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    final String name;
    final int pgPort = FreePorts.next();
    final int restPort = FreePorts.next();
    final Path dir;
    final Path dataDir;
    final Path configFile;
    final Implementation implementation;
    /** Proxies between this node and everything it talks to, when the cluster was built to be partitioned. */
    final Optional<NodeLinks> links;

    private ManagedProcess agent;
    /** Variables the agent is started with besides HOME (a service manager's NOTIFY_SOCKET). */
    private Map<String, String> agentEnvironment = Map.of();

    TestNode(String name, Path clusterDir) {
        this(name, clusterDir, Implementation.BELLWETHER, Optional.empty());
    }

    /**
     * @param linkedEtcdPorts when present, the node gets {@link NodeLinks}: proxies to these etcd client ports and in
     *     front of its own PostgreSQL and REST ports
     */
    TestNode(String name, Path clusterDir, Implementation implementation, Optional<List<Integer>> linkedEtcdPorts) {
        this.implementation = implementation;
        this.links = linkedEtcdPorts.map(ports -> NodeLinks.start(name, ports, pgPort, restPort));
        this.name = name;
        this.dir = clusterDir.resolve(name);
        this.dataDir = dir.resolve("data");
        this.configFile = dir.resolve(name + ".yml");
        try {
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void writeConfig(String yaml) {
        try {
            Files.writeString(configFile, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The PostgreSQL port other nodes and the DCS see ({@code connect_address}): a proxy when the node has links. */
    int pgConnectPort() {
        return links.map(l -> l.postgres().port()).orElse(pgPort);
    }

    /** The REST port peers probe ({@code restapi.connect_address}): a proxy when the node has links. */
    int restConnectPort() {
        return links.map(l -> l.rest().port()).orElse(restPort);
    }

    /** Starts the agent as the postgres user; its output is appended to {@code agent.log}. */
    void startAgent() {
        List<String> command = implementation == Implementation.PATRONI
                ? new ArrayList<>(List.of(
                        patroni()
                                .orElseThrow(() -> new IllegalStateException("patroni is not installed"))
                                .toString(),
                        configFile.toString()))
                : new ArrayList<>(List.of(Distribution.launcher().toString(), "agent", configFile.toString()));
        agent = ManagedProcess.start(
                "agent " + name, SystemUser.asPostgres(command), dir.resolve("agent.log"), environment());
    }

    /**
     * Starts the agent as a container would: no file, the whole configuration in {@code PATRONI_CONFIGURATION}
     * (this node's file, read now).
     */
    void startAgentFromEnvironment() throws IOException {
        Map<String, String> environment = environment();
        environment.put("PATRONI_CONFIGURATION", Files.readString(configFile));
        agent = ManagedProcess.start(
                "agent " + name,
                SystemUser.asPostgres(List.of(Distribution.launcher().toString(), "agent")),
                dir.resolve("agent.log"),
                environment);
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new java.util.HashMap<>(agentEnvironment);
        environment.put("HOME", dir.toString());
        return environment;
    }

    /** The variables the next {@link #startAgent()} passes to the agent, besides HOME. */
    void agentEnvironment(Map<String, String> variables) {
        agentEnvironment = Map.copyOf(variables);
    }

    ManagedProcess agent() {
        return agent;
    }

    boolean agentAlive() {
        return agent != null && agent.isAlive();
    }

    void signalAgent(String signal) {
        agent.signal(signal);
    }

    String agentLog() {
        try {
            return Files.readString(dir.resolve("agent.log"));
        } catch (IOException e) {
            return "";
        }
    }

    /** The postmaster's PID from postmaster.pid, if PostgreSQL is running. */
    Optional<Long> postmasterPid() {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
            long pid = Long.parseLong(lines.get(0).trim());
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** HTTP status of {@code method path} on this node's REST API; 0 when it does not answer. */
    int status(String method, String path) {
        return status(method, path, Duration.ofSeconds(3));
    }

    int status(String method, String path, Duration timeout) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                    .method(method, HttpRequest.BodyPublishers.noBody())
                    .timeout(timeout)
                    .build();
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    Optional<JsonNode> getJson(String path) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + restPort + path))
                    .timeout(Duration.ofSeconds(3))
                    .build();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            return Optional.of(JSON.readTree(response.body()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    Connection connect() throws SQLException {
        return connect(pgPort);
    }

    static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection(
                "jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=3&socketTimeout=10"
                        + "&tcpKeepAlive=true",
                "postgres",
                SUPERUSER_PASSWORD);
    }

    /** PostgreSQL's log: beside the data directory for Bellwether (pg_ctl -l), in the agent's output for Patroni. */
    Path postgresLog() {
        return implementation == Implementation.PATRONI
                ? dir.resolve("agent.log")
                : dataDir.resolveSibling(dataDir.getFileName() + ".log");
    }

    /**
     * The node's machine crashes: agent, postmaster with every backend, and the fencing guard get SIGKILL in one
     * call. Returns once they are gone.
     */
    void crash() {
        List<Long> pids = new ArrayList<>();
        if (agentAlive()) {
            pids.add(agent.pid());
        }
        pids.addAll(postgresPids());
        guardPids().forEach(pids::add);
        Signals.sendAll(pids, "KILL");
        awaitGone(pids);
    }

    /** PostgreSQL alone crashes (the OOM killer, a segfault taking the postmaster down): SIGKILL to all of it. */
    void killPostgres() {
        List<Long> pids = postgresPids();
        Signals.sendAll(pids, "KILL");
        awaitGone(pids);
    }

    /** The agent alone dies: SIGKILL to its PID, PostgreSQL and the guard are left as they are. */
    void killAgent() {
        agent.signal("KILL");
        agent.waitFor(Duration.ofSeconds(10));
    }

    private List<Long> postgresPids() {
        List<Long> pids = new ArrayList<>();
        postmasterPid().ifPresent(pm -> {
            pids.add(pm);
            ProcessHandle.of(pm).ifPresent(h -> h.descendants().forEach(d -> pids.add(d.pid())));
        });
        return pids;
    }

    /** The fencing guard runs in its own session, so it is found by its command line (it names postmaster.pid). */
    private java.util.stream.Stream<Long> guardPids() {
        String marker = dataDir.resolve("postmaster.pid").toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.contains("FenceGuard") && c.contains(marker))
                        .orElse(false))
                .map(ProcessHandle::pid);
    }

    private static void awaitGone(List<Long> pids) {
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("process " + pid + " survived SIGKILL", e);
                }
            });
        }
    }

    /** Stops the agent (SIGTERM, then SIGKILL) and any PostgreSQL or guard left behind, by PID; closes the links. */
    @Override
    public void close() {
        if (agent != null) {
            agent.close();
        }
        postmasterPid().ifPresent(pid -> {
            Signals.send(pid, "QUIT");
            ProcessHandle.of(pid).ifPresent(p -> {
                try {
                    p.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
                } catch (Exception e) {
                    Signals.send(pid, "KILL");
                }
            });
        });
        String marker = dataDir.toString();
        ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .forEach(p -> Signals.send(p.pid(), "KILL"));
        links.ifPresent(NodeLinks::close);
    }
}
