package org.bellwether.app.generate;

import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.bellwether.app.BellwetherCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bellwether generate-config [--dsn DSN] [FILE]}, also {@code bellwether --generate-config}: a node
 * configuration for a PostgreSQL instance running on this machine, from its settings, its {@code pg_hba.conf} and
 * {@code pg_ident.conf} and its server program. It must run on the instance's machine (the files and the process are
 * read directly) as a user that may read them.
 */
@Command(
        name = "generate-config",
        description = "Write a node configuration for the PostgreSQL instance running here (to FILE, else standard"
                + " output).",
        mixinStandardHelpOptions = true,
        versionProvider = BellwetherCommand.VersionProvider.class)
public final class GenerateConfigCommand implements Callable<Integer> {
    /** Asks the operator for the superuser's password, when nothing else gave one. */
    @FunctionalInterface
    interface PasswordPrompt {
        Optional<String> ask();
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = "--dsn",
            paramLabel = "DSN",
            description = "The instance, as a libpq connection string or URI; a superuser must connect"
                    + " (default: libpq's variables, PGHOST, PGPORT, PGUSER, ...).")
    String dsn;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "Where to write (default: standard output).")
    Path file;

    @Override
    public Integer call() {
        return generate(
                dsn, file, spec.commandLine().getOut(), spec.commandLine().getErr());
    }

    public static int generate(String dsn, Path file, PrintWriter out, PrintWriter err) {
        return generate(dsn, file, System.getenv(), GenerateConfigCommand::askOnConsole, out, err);
    }

    static int generate(
            String dsnText,
            Path file,
            Map<String, String> env,
            PasswordPrompt prompt,
            PrintWriter out,
            PrintWriter err) {
        try {
            Map<String, String> dsn = dsnText == null
                    ? Map.of()
                    : LibpqDsn.parse(dsnText).orElseThrow(() -> new GenerateException("Failed to parse DSN string"));
            Map<String, Object> environment = Generation.environment(env);
            Map<String, Object> config = ConfigTemplate.of(Generation.address(err), environment);
            Map<String, Object> superuser = InstanceConfig.superuser(
                    dsn,
                    env,
                    Tree.section(Tree.copyOf(environment), "postgresql", "authentication", "superuser"),
                    osUser(env));
            if (InstanceConfig.password(superuser).isEmpty()) {
                // Without a terminal to ask on, the driver may still log in (trust, .pgpass); the file then says FIXME.
                superuser.put("password", prompt.ask().orElse(PatroniDefaults.FIXME));
            }
            InstanceConfig.withLogins(config, superuser);
            RunningInstance.Facts facts = RunningInstance.read(JdbcTarget.of(dsn, env, superuser));
            InstanceConfig.withSettings(config, facts.settings(), dsn, env);
            InstanceConfig.withConfFiles(config, facts.serverVersionNum(), GenerateConfigCommand::strippedLines);
            Map<String, Object> postgresql = Tree.section(config, "postgresql");
            postgresql.put("bin_dir", PostmasterProgram.binDir(Tree.text(postgresql, "data_dir")));
            ConfigOutput.write(ConfigDocument.render(config, !ConfigTemplate.namesDcs(environment)), file, out);
            return 0;
        } catch (GenerateException e) {
            return Generation.fail(err, e);
        }
    }

    private static Optional<String> askOnConsole() {
        Console console = System.console();
        if (console == null) {
            return Optional.empty();
        }
        char[] password = console.readPassword("Please enter the user password:");
        return password == null || password.length == 0 ? Optional.empty() : Optional.of(new String(password));
    }

    /** Python's {@code getpass.getuser}: the login variables, then the account the process runs as. */
    static String osUser(Map<String, String> env) {
        for (String name : List.of("LOGNAME", "USER", "LNAME", "USERNAME")) {
            String value = env.get(name);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return System.getProperty("user.name");
    }

    private static List<String> strippedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).toList();
    }
}
