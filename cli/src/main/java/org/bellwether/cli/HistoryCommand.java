package org.bellwether.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bellwether.cli.format.Output;
import org.bellwether.core.HistoryEntry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code history}: the {@code history} key, one line per timeline switch. */
@Command(
        name = "history",
        description = "Show the history of failovers/switchovers",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class HistoryCommand extends CtlSubcommand {
    static final List<String> COLUMNS = List.of("TL", "LSN", "Reason", "Timestamp", "New Leader");

    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Mixin
    Options.FormatOption format;

    @Override
    int run() throws CtlException {
        String name = session.clusterName(Optional.ofNullable(cluster));
        terminal.print(render(session.readExisting(name).history(), format.format));
        return 0;
    }

    /** Missing timestamp and leader cells are empty strings, as patronictl pads short lines. */
    static String render(List<HistoryEntry> history, Output.Format format) {
        List<List<Object>> rows = new ArrayList<>();
        for (HistoryEntry e : history) {
            List<Object> row = new ArrayList<>();
            row.add(e.timeline().value());
            row.add(e.switchLsn().value());
            row.add(e.reason());
            row.add(e.timestamp().orElse(""));
            row.add(e.newLeader().orElse(""));
            rows.add(row);
        }
        return Output.print(COLUMNS, rows, Set.of("TL", "LSN"), format, "", "\t");
    }
}
