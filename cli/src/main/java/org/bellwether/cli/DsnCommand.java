package org.bellwether.cli;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dsn}: a libpq connection string for the leader, a member with a role, or a named member. */
@Command(
        name = "dsn",
        description = "Generate a dsn for the provided member, defaults to a dsn of the leader",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class DsnCommand extends CtlSubcommand {
    @Parameters(paramLabel = "CLUSTER_NAME", arity = "0..1", description = "The cluster (default: scope).")
    String cluster;

    @Option(
            names = {"-r", "--role"},
            converter = CtlRole.Converter.class,
            description = "Give a dsn of any member with this role.")
    CtlRole role;

    @Option(
            names = {"-m", "--member"},
            description = "Generate a dsn for this member.")
    String member;

    @Override
    int run() throws CtlException {
        String name = session.clusterName(Optional.ofNullable(cluster));
        ClusterView view = session.readExisting(name);
        Member m = Members.any(view, Optional.ofNullable(role), Optional.ofNullable(member))
                .orElseThrow(() -> new CtlException("Can not find a suitable member"));
        ClusterJson.Address address = m.connUrl()
                .flatMap(ClusterJson::address)
                .orElseThrow(() -> new CtlException("member " + m.name() + " publishes no PostgreSQL address"));
        terminal.echo("host=" + address.host() + " port=" + address.port());
        return 0;
    }
}
