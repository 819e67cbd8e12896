package org.bellwether.app;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.bellwether.app.demo.DemoCommand;
import org.bellwether.app.generate.GenerateConfigCommand;
import org.bellwether.app.generate.GenerateSampleConfigCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The top-level command: {@code bellwether [--version] <subcommand>}. It also takes Patroni's
 * {@code --generate-sample-config [FILE]} and {@code --generate-config [--dsn DSN] [FILE]}, so that the lines in
 * Patroni's documentation work with {@code patroni} replaced by {@code bellwether}; they run the subcommands of the
 * same names.
 */
@Command(
        name = "bellwether",
        mixinStandardHelpOptions = true,
        subcommands = {
            AgentCommand.class,
            ValidateCommand.class,
            DemoCommand.class,
            GenerateSampleConfigCommand.class,
            GenerateConfigCommand.class
        },
        versionProvider = BellwetherCommand.VersionProvider.class,
        description = "High-availability manager for PostgreSQL, wire-compatible with Patroni.")
public final class BellwetherCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--generate-sample-config",
            description = "Write a sample configuration with Patroni's defaults to FILE (or standard output).")
    boolean generateSample;

    @Option(
            names = "--generate-config",
            description = "Write a configuration for the running PostgreSQL instance --dsn names to FILE (or standard"
                    + " output).")
    boolean generateFromInstance;

    @Option(
            names = "--dsn",
            paramLabel = "DSN",
            description = "With --generate-config: the instance to read, as a libpq connection string or URI"
                    + " (a superuser connection).")
    String dsn;

    @Parameters(
            arity = "0..1",
            paramLabel = "FILE",
            description = "With --generate-config or --generate-sample-config: where to write.")
    Path file;

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
    public Integer call() {
        CommandLine self = spec.commandLine();
        if (generateSample && generateFromInstance) {
            throw new CommandLine.ParameterException(
                    self, "--generate-sample-config and --generate-config are mutually exclusive");
        }
        if (dsn != null && !generateFromInstance) {
            throw new CommandLine.ParameterException(self, "--dsn can only be used with --generate-config");
        }
        if (generateSample) {
            return GenerateSampleConfigCommand.generate(file, self.getOut(), self.getErr());
        }
        if (generateFromInstance) {
            return GenerateConfigCommand.generate(dsn, file, self.getOut(), self.getErr());
        }
        if (file != null) {
            // Without a --generate option the word was meant as a command.
            throw new CommandLine.ParameterException(self, "Unknown command: '" + file + "'");
        }
        self.usage(self.getOut());
        return 0;
    }

    /** {@code --version} of {@code bellwether} and of its commands. */
    public static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"bellwether " + Version.BELLWETHER};
        }
    }
}
