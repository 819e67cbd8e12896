package org.bellwether.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code version}: this tool's version and, given a cluster, each member's Patroni-compatible version and PostgreSQL
 * version from {@code GET /patroni}.
 */
@Command(
        name = "version",
        description = "Output version of bellwether ctl or a running Patroni or Bellwether instance",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class VersionCommand extends CtlSubcommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(
            index = "0",
            paramLabel = "CLUSTER_NAME",
            arity = "0..1",
            description = "Also ask this cluster's members.")
    String cluster;

    @Parameters(index = "1..*", paramLabel = "MEMBER_NAMES", arity = "0..*", description = "Only these members.")
    List<String> names = new ArrayList<>();

    @Override
    int run() throws CtlException {
        terminal.echo("bellwether ctl version " + ctl.version());
        if (cluster == null) {
            return 0;
        }
        terminal.echo("");
        ClusterView view = session.readExisting(cluster);
        for (Member m : Members.withRole(view, CtlRole.ANY)) {
            if (m.apiUrl().isEmpty() || !names.isEmpty() && !names.contains(m.name())) {
                continue;
            }
            try {
                RestClient.Response r = session.rest().get(m, "patroni");
                JsonNode data = JSON.readTree(r.body());
                String version = data.path("patroni").path("version").asText("None");
                long pg = data.path("server_version").asLong(0);
                terminal.echo(m.name() + ": Patroni " + version + (pg > 0 ? " PostgreSQL " + pgVersion(pg) : ""));
            } catch (RestClient.Unreachable | java.io.IOException e) {
                terminal.echo(m.name() + ": failed to get version: " + e.getMessage());
            }
        }
        return 0;
    }

    /** patronictl's {@code format_pg_version}: 90624 is 9.6.24, 150008 is 15.8. */
    static String pgVersion(long version) {
        if (version < 100000) {
            return version / 10000 + "." + version / 100 % 100 + "." + version % 100;
        }
        return version / 10000 + "." + version % 100;
    }
}
