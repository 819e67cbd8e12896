package org.bellwether.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bellwether.cli.format.Output;
import org.bellwether.cli.format.Output.Format;
import org.bellwether.core.ClusterView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code query}: runs SQL on the leader, on a member with a role, or on a named member, and prints the rows. As in
 * patronictl a failing query prints a row {@code <time> ERROR, SQLSTATE: <code>} (so a watch keeps going); the exit
 * code is 1 when the last round failed.
 */
@Command(
        name = "query",
        description = "Query a Patroni PostgreSQL member",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class QueryCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            description = "Output format: pretty, tsv, json, yaml (default: tsv).")
    String format = "tsv";

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "Execute the SQL commands from this file ('-' for standard input).")
    String file;

    @Option(names = "--password", description = "Force password prompt.")
    boolean password;

    @Option(
            names = {"-U", "--username"},
            description = "Database user name.")
    String username;

    @Mixin
    Options.WatchOptions watch;

    @Option(
            names = {"-r", "--role"},
            converter = CtlRole.Converter.class,
            description = "The role of the query.")
    CtlRole role;

    @Option(
            names = {"-m", "--member"},
            description = "Query a specific member.")
    String member;

    @Option(names = "--delimiter", description = "The column delimiter (default: tab).")
    String delimiter = "\t";

    @Option(
            names = {"-c", "--command"},
            description = "The SQL commands to execute.")
    String command;

    @Option(
            names = {"-d", "--dbname"},
            description = "Database name to connect to.")
    String dbname;

    @Override
    int run() throws CtlException {
        Format fmt = Format.parse(format)
                .filter(f -> f != Format.TOPOLOGY)
                .orElseThrow(() -> new CtlException("unknown format '" + format + "': use pretty, tsv, json or yaml"));
        String sql = sql();
        if (member != null && role != null) {
            throw new CtlException("--role and --member are mutually exclusive options");
        }
        SqlRunner.Login login = new SqlRunner.Login(
                Optional.ofNullable(username).or(() -> terminal.env("PGUSER")).orElse(System.getProperty("user.name")),
                password ? Optional.of(terminal.password("Password")) : terminal.env("PGPASSWORD"),
                Optional.ofNullable(dbname));
        String name = session.clusterName(Optional.ofNullable(cluster));
        ClusterView view = session.readExisting(name);
        boolean[] failed = {false};
        Watch.repeat(terminal, watch.interval(), false, () -> {
            SqlRunner.Result result =
                    SqlRunner.run(view, Optional.ofNullable(role), Optional.ofNullable(member), login, sql);
            List<List<Object>> rows = result.rows();
            failed[0] = result.error().isPresent();
            if (result.error().isPresent()) {
                rows = List.of(new ArrayList<>(List.of(
                        Timestamps.seconds(ZonedDateTime.now()), result.error().get())));
            }
            terminal.print(Output.print(result.columns(), rows, Set.of(), fmt, "", delimiter));
        });
        return failed[0] ? 1 : 0;
    }

    private String sql() throws CtlException {
        if (file != null) {
            if (command != null) {
                throw new CtlException("--file and --command are mutually exclusive options");
            }
            try {
                return file.equals("-") ? terminal.readAll() : Files.readString(Path.of(file), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new CtlException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        if (command == null) {
            throw new CtlException("You need to specify either --command or --file");
        }
        return command;
    }
}
