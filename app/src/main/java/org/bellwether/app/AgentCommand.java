package org.bellwether.app;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.bellwether.agent.AgentLoop;
import org.bellwether.agent.AgentRunner;
import org.bellwether.agent.FenceSet;
import org.bellwether.agent.GuardProcessFence;
import org.bellwether.agent.IsolationMonitor;
import org.bellwether.agent.MonotonicClock;
import org.bellwether.agent.OperationRunner;
import org.bellwether.agent.PostmasterWatch;
import org.bellwether.agent.ServiceNotifier;
import org.bellwether.agent.UniqueName;
import org.bellwether.agent.Waker;
import org.bellwether.agent.WriteFence;
import org.bellwether.agent.rest.FailsafeResource;
import org.bellwether.agent.rest.PeerClient;
import org.bellwether.agent.rest.RestApiServer;
import org.bellwether.agent.rest.WriteApi;
import org.bellwether.agent.watchdog.WatchdogFence;
import org.bellwether.config.ConfigException;
import org.bellwether.config.ConfigLoader;
import org.bellwether.config.Credentials;
import org.bellwether.config.LoadedConfig;
import org.bellwether.config.NodeConfig;
import org.bellwether.core.HaSettings;
import org.bellwether.core.ha.NodeIdentity;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsFactory;
import org.bellwether.dcs.DcsProbe;
import org.bellwether.postgres.CallbackScripts;
import org.bellwether.postgres.DataDirectory;
import org.bellwether.postgres.LocalPostgresNode;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.PostgresSetup;
import org.bellwether.postgres.ReplicaContact;
import org.bellwether.postgres.fence.FenceGuardProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bellwether agent CONFIG.yml}: runs one node until SIGTERM. */
@Command(
        name = "agent",
        description = "Run a Bellwether node (the agent beside one PostgreSQL server).",
        mixinStandardHelpOptions = true,
        versionProvider = BellwetherCommand.VersionProvider.class)
final class AgentCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCommand.class);
    /**
     * How long a callback script may run before it is killed. Patroni has no limit; one keeps a hung script from
     * holding its slot until the next callback, and is far beyond what notifying a load balancer or moving an address
     * takes.
     */
    private static final Duration CALLBACK_TIME_LIMIT = Duration.ofMinutes(5);

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "CONFIG.yml",
            description = "Patroni-style node configuration file (or directory of them). Without it, as patroni in"
                    + " containers: PATRONI_CONFIGURATION, else the PATRONI_* variables.")
    Path configFile;

    /** The configuration as given: the file with the environment laid over it, or the environment alone. */
    private LoadedConfig load() throws ConfigException {
        return configFile == null
                ? ConfigLoader.fromEnvironment(System.getenv())
                : ConfigLoader.load(configFile, System.getenv());
    }

    private String source() {
        return configFile == null ? "environment" : configFile.toString();
    }

    @Override
    public Integer call() throws Exception {
        if (RootUser.isRoot()) {
            System.err.println("bellwether: refusing to run as root. PostgreSQL refuses root for the same reasons; "
                    + "run the agent as the user that owns the data directory (e.g. 'runuser -u postgres -- "
                    + "bellwether agent " + (configFile == null ? "" : configFile) + "').");
            return 2;
        }
        LoadedConfig loaded;
        try {
            loaded = load();
        } catch (ConfigException e) {
            System.err.println("bellwether: " + e.getMessage());
            return 1;
        }
        LogSetup logs = LogSetup.ofThisProcess();
        try {
            logs.apply(loaded.config().log());
        } catch (IOException e) {
            System.err.println("bellwether: " + source() + ": log.dir: cannot write the log: " + e);
            return 1;
        }
        loaded.warnings().forEach(w -> LOG.warn("{}", w));
        List<String> refused;
        try {
            refused = ParameterReview.problems(loaded.config());
        } catch (PostgresException e) {
            // The check could not run; PostgreSQL itself will still refuse a bad value when it starts.
            LOG.warn("postgresql.parameters not checked by PostgreSQL before starting: {}", e.getMessage());
            refused = List.of();
        }
        if (!refused.isEmpty()) {
            refused.forEach(p -> System.err.println("bellwether: " + source() + ": " + p));
            return 1;
        }
        return run(loaded.config(), logs);
    }

    private int run(NodeConfig config, LogSetup logs) throws Exception {
        HaSettings settings = HaSettings.from(config.bootstrap().dcs());
        MonotonicClock clock = new MonotonicClock();
        Waker waker = new Waker();
        Dcs dcs = DcsFactory.create(config, settings.ttl(), settings.retryTimeout());
        PeerClient peers = PeerClient.forConfig(PeerClient.DEFAULT_TIMEOUT, config.restapi());
        Optional<String> clash = UniqueName.clash(config.name(), dcs, peers::answersLiveness);
        if (clash.isPresent()) {
            System.err.println("bellwether: " + source() + ": " + clash.get());
            dcs.close();
            return 1;
        }
        dcs.onChange(waker::wake);
        // The PostgreSQL adapter reads the settings in force (use_slots, use_pg_rewind) from the loop once it exists.
        AtomicReference<AgentLoop> loopRef = new AtomicReference<>();
        LocalPostgresNode postgres = LocalPostgresNode.create(
                PostgresSetup.of(config),
                () -> loopRef.get() == null ? settings : loopRef.get().settings());
        OperationRunner operations = new OperationRunner(clock, waker::wake);
        Path guardLog = config.postgresql()
                .dataDir()
                .resolveSibling(config.postgresql().dataDir().getFileName() + ".fence-guard.log");
        WriteFence fence = new FenceSet(List.of(
                new GuardProcessFence(
                        FenceGuardProcess.start(config.postgresql().dataDir(), guardLog), clock),
                new WatchdogFence(
                        config.watchdog(),
                        WatchdogFence.deviceFor(config.watchdog()),
                        () -> loopRef.get() == null ? settings : loopRef.get().settings())));
        AgentLoop loop = new AgentLoop(
                new NodeIdentity(
                        config.name(), config.typedTags(), config.bootstrap().dcs()),
                new AgentLoop.Addresses(
                        config.scope(),
                        config.restapi().apiUrl(),
                        config.postgresql().connUrl()),
                dcs,
                postgres,
                peers::fetchMembers,
                operations,
                fence,
                clock,
                InstantSource.system());
        loopRef.set(loop);
        // Members protect POST /failsafe like any unsafe endpoint: the primary sends this cluster's credentials.
        Optional<String> authorization = config.restapi().authentication().map(Credentials::basicAuthorization);
        loop.useFailsafeCaller((urls, body) -> peers.postFailsafe(urls, body, authorization));
        FailsafeResource failsafe = new FailsafeResource(loop.failsafeInbox());
        CallbackScripts callbacks =
                new CallbackScripts(config.postgresql().callbacks(), config.scope(), CALLBACK_TIME_LIMIT);
        loop.callbacks().sendTo(callbacks::call);
        Optional<IsolationMonitor> isolation = Optional.empty();
        if (dcs instanceof DcsProbe probe) {
            ReplicaContact replicas = new ReplicaContact(config);
            IsolationMonitor monitor = new IsolationMonitor(
                    probe, replicas::recentlyHeard, loop::status, fence, clock, loop::fencedOutsideTheLoop);
            monitor.start();
            isolation = Optional.of(monitor);
        }
        Optional<IsolationMonitor> isolationMonitor = isolation;
        // POST /reload: the local file's PostgreSQL and log settings take effect; others need a restart of the agent.
        loop.onLocalReload(() -> {
            NodeConfig reread = load().config();
            postgres.useSetup(PostgresSetup.of(reread));
            logs.apply(reread.log());
        });
        WriteApi writes =
                WriteApi.of(dcs, peers::fetchMembers, loop.requests(), waker::wake, postgres::checkParameters);
        RestApiServer rest = new RestApiServer(
                loop::status,
                clock,
                config.restapi(),
                new InetSocketAddress(
                        config.restapi().listen().host(),
                        config.restapi().listen().port()),
                router -> {
                    writes.register(router);
                    failsafe.register(router);
                });
        PostmasterWatch postmasterWatch =
                new PostmasterWatch(new DataDirectory(config.postgresql().dataDir())::livePostmaster, waker::wake);
        postmasterWatch.start();
        AgentRunner runner = new AgentRunner(loop, waker, clock);
        ServiceNotifier notifier = ServiceNotifier.fromEnvironment(System.getenv());
        runner.afterFirstCycle(() -> notifier.ready("running"));
        HangupReload.install(loop.requests(), waker::wake, notifier);
        Thread hook = new Thread(
                () -> {
                    LOG.info("{}: shutting down", config.name());
                    notifier.stopping();
                    rest.close();
                    isolationMonitor.ifPresent(IsolationMonitor::close);
                    postmasterWatch.close();
                    runner.shutdown(Duration.ofSeconds(60));
                    callbacks.close();
                    operations.close();
                    dcs.close();
                },
                "shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.info("{}: starting, REST API on {}", config.name(), config.restapi().listen());
        int code = runner.run();
        return code;
    }
}
