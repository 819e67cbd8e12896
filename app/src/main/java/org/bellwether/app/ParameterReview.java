package org.bellwether.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.config.ConfigReport;
import org.bellwether.config.NodeConfig;
import org.bellwether.postgres.BinDirs;
import org.bellwether.postgres.ParameterCheck;
import org.bellwether.postgres.PostgresException;
import org.bellwether.postgres.ProcessRunner;

/**
 * The PostgreSQL parameters of a node's file, judged by PostgreSQL's server program before anything starts:
 * {@code postgresql.parameters} (this node's) and {@code bootstrap.dcs.postgresql.parameters} (what a new cluster
 * stores for every node). A value the server would refuse is an error naming its key, found by {@code validate} and
 * at agent start rather than by a failing start of PostgreSQL.
 */
final class ParameterReview {
    private ParameterReview() {}

    /** {@code report} with the parameter problems added as errors, or a warning when they could not be checked. */
    static ConfigReport review(ConfigReport report) {
        if (report.config().isEmpty()) {
            return report;
        }
        List<String> warnings = new ArrayList<>(report.warnings());
        List<String> errors = new ArrayList<>(report.errors());
        if (RootUser.isRoot()) {
            warnings.add("postgresql.parameters: not checked by PostgreSQL, whose server program refuses to run as"
                    + " root; run validate as the user that runs PostgreSQL to check them");
        } else {
            try {
                errors.addAll(problems(report.config().get()));
            } catch (PostgresException e) {
                warnings.add("postgresql.parameters: not checked by PostgreSQL: " + e.getMessage());
            }
        }
        return new ConfigReport(report.source(), report.config(), warnings, errors);
    }

    /** One line per refused parameter, named by its key in the file. */
    static List<String> problems(NodeConfig config) throws PostgresException {
        ParameterCheck check = new ParameterCheck(
                BinDirs.find(
                        config.postgresql().binDir(),
                        dataVersion(config.postgresql().dataDir())),
                ProcessRunner.direct());
        List<String> lines = new ArrayList<>();
        check.check(config.postgresql().parameters()).forEach(p -> lines.add("postgresql.parameters." + p));
        Map<String, Object> cluster =
                ParameterCheck.parametersOf(config.bootstrap().dcs());
        check.check(cluster).forEach(p -> lines.add("bootstrap.dcs.postgresql.parameters." + p));
        return lines;
    }

    /** The major version of an existing data directory: the server of that version is the one to ask. */
    private static Optional<String> dataVersion(Path dataDir) {
        try {
            return Optional.of(Files.readString(dataDir.resolve("PG_VERSION")).trim());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
