package org.bellwether.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bellwether ctl}: patronictl's commands, options, prompts and output for a Bellwether (or Patroni) cluster.
 * The global options come before the command, as with patronictl.
 */
@Command(
        name = "ctl",
        description = "Operate a cluster: patronictl's commands for Bellwether and Patroni clusters.",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class,
        subcommands = {
            ListCommand.class,
            TopologyCommand.class,
            SwitchoverCommand.class,
            FailoverCommand.class,
            RestartCommand.class,
            ReloadCommand.class,
            ReinitCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            EditConfigCommand.class,
            ShowConfigCommand.class,
            HistoryCommand.class,
            FlushCommand.class,
            QueryCommand.class,
            DsnCommand.class,
            RemoveCommand.class,
            VersionCommand.class
        })
public final class CtlCommand implements Runnable {
    public static final String NAME = "ctl";

    @Option(
            names = {"-c", "--config-file"},
            paramLabel = "FILE",
            description =
                    "Configuration file (default: $PATRONICTL_CONFIG_FILE, else ~/.config/patroni/patronictl.yaml).")
    String configFile;

    @Option(
            names = {"-d", "--dcs-url", "--dcs"},
            paramLabel = "URL",
            description = "The DCS connect URL, DCS://HOST:PORT/NAMESPACE, e.g. etcd3://localhost:2379/service"
                    + " (default: $DCS_URL).")
    String dcsUrl;

    @Option(
            names = {"-k", "--insecure"},
            description = "Allow connections to SSL sites without certs.")
    boolean insecure;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final String version;
    private final Terminal terminal;
    private final StoreOpener opener;

    /**
     * @param version the Bellwether version {@code version} prints
     * @param terminal where commands read answers, write output and find the environment
     */
    public CtlCommand(String version, Terminal terminal) {
        this(version, terminal, StoreOpener.DCS);
    }

    /** @param opener how to open a cluster's keys (tests give a fake store) */
    CtlCommand(String version, Terminal terminal, StoreOpener opener) {
        this.version = version;
        this.terminal = terminal;
        this.opener = opener;
    }

    /** A command line for {@code ctl} alone, writing to {@code terminal} (tests, and {@code bin/bellwetherctl}). */
    public static CommandLine commandLine(String version, Terminal terminal) {
        CommandLine commandLine = new CommandLine(new CtlCommand(version, terminal));
        commandLine.setOut(terminal.out());
        commandLine.setErr(terminal.err());
        return commandLine;
    }

    @Override
    public void run() {
        spec.commandLine().usage(terminal.out());
    }

    String version() {
        return version;
    }

    Terminal terminal() {
        return terminal;
    }

    Session openSession() throws CtlException {
        return Session.open(
                terminal,
                java.util.Optional.ofNullable(configFile),
                java.util.Optional.ofNullable(dcsUrl),
                insecure,
                opener);
    }

    /** {@code ctl --version}, and {@code --version} of every ctl command, which say the same. */
    static final class Version implements CommandLine.IVersionProvider {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public String[] getVersion() {
            for (CommandLine.Model.CommandSpec s = spec; s != null; s = s.parent()) {
                if (s.userObject() instanceof CtlCommand ctl) {
                    return new String[] {"bellwether ctl version " + ctl.version};
                }
            }
            return new String[0];
        }
    }
}
