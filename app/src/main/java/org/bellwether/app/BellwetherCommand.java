package org.bellwether.app;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level command: {@code bellwether [--version] <subcommand>}. */
@Command(
        name = "bellwether",
        mixinStandardHelpOptions = true,
        subcommands = {AgentCommand.class, ValidateCommand.class, org.bellwether.app.demo.DemoCommand.class},
        versionProvider = BellwetherCommand.VersionProvider.class,
        description = "High-availability manager for PostgreSQL, wire-compatible with Patroni.")
public final class BellwetherCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The whole command tree, {@code ctl} included, as {@link Main} runs it. */
    static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new BellwetherCommand());
        // Added by hand: ctl takes the version it reports and the terminal it talks to.
        commandLine.addSubcommand(
                org.bellwether.cli.CtlCommand.NAME,
                new org.bellwether.cli.CtlCommand(Version.BELLWETHER, org.bellwether.cli.Terminal.system()));
        // Operators get one sentence, not a stack trace; the trace goes to the debug log.
        commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
            org.slf4j.LoggerFactory.getLogger(BellwetherCommand.class).debug("command failed", e);
            cmd.getErr().println("bellwether: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
            return 1;
        });
        return commandLine;
    }

    static int run(String[] args) {
        return commandLine().execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code --version} of {@code bellwether} and of its commands. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bellwether " + Version.BELLWETHER};
        }
    }
}
