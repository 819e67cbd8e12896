package org.bellwether.cli;

import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.Member;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code flush CLUSTER [MEMBER...] restart|switchover}: discards scheduled restarts ({@code DELETE /restart} on each
 * member) or the scheduled switchover ({@code DELETE /switchover} on the first member that answers; when none does,
 * the {@code failover} key is emptied directly with compare-and-set, as patronictl does).
 */
@Command(
        name = "flush",
        description = "Discard scheduled events",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class FlushCommand extends CtlSubcommand {
    @Parameters(
            arity = "2..*",
            paramLabel = "CLUSTER_NAME [MEMBER_NAMES]... {restart|switchover}",
            description = "The cluster, optionally members, and what to discard.")
    List<String> arguments = new ArrayList<>();

    @Option(
            names = {"-r", "--role"},
            converter = CtlRole.Converter.class,
            description = "Flush only members with this role (default: any).")
    CtlRole role = CtlRole.ANY;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        String cluster = arguments.get(0);
        String target = arguments.get(arguments.size() - 1);
        List<String> names = arguments.subList(1, arguments.size() - 1);
        ClusterView view = session.readExisting(cluster);
        return switch (target) {
            case "restart" -> restarts(view, cluster, names);
            case "switchover" -> switchover(view, cluster);
            default ->
                throw new CtlException("Invalid value for '{restart|switchover}': '" + target
                        + "' is not one of 'restart'," + " 'switchover'");
        };
    }

    private int restarts(ClusterView view, String cluster, List<String> names) throws CtlException {
        int exit = 0;
        for (Member m : Members.choose(this, view, cluster, names, role, force.force, "flush", true)) {
            if (m.extra().get("scheduled_restart") == null) {
                terminal.echo("No scheduled restart for member " + m.name());
                continue;
            }
            try {
                RestClient.Response r = session.rest().send(m, "DELETE", "restart", Optional.empty());
                if (!Responses.check(terminal, r, m, "flush scheduled restart", false)) {
                    exit = 1;
                }
            } catch (RestClient.Unreachable e) {
                terminal.echo("Failed: flush scheduled restart for member " + m.name() + ": " + e.getMessage());
                exit = 1;
            }
        }
        return exit;
    }

    private int switchover(ClusterView view, String cluster) throws CtlException {
        Optional<FailoverIntent> failover =
                view.failover().filter(f -> f.scheduledAt().isPresent());
        if (failover.isEmpty()) {
            terminal.echo("No pending scheduled switchover");
            return 0;
        }
        for (Member m : Members.leaderFirst(view)) {
            try {
                RestClient.Response r = session.rest().send(m, "DELETE", "switchover", Optional.empty());
                if (r.status() == 200 || r.status() == 404) {
                    terminal.echo((r.status() == 200 ? "Success: " : "Failed: ") + Responses.body(r));
                    return r.status() == 200 ? 0 : 1;
                }
                terminal.echo(
                        "Failed: member=" + m.name() + ", status_code=" + r.status() + ", (" + Responses.body(r) + ")");
            } catch (RestClient.Unreachable e) {
                terminal.err().println("Warning: member " + m.name() + " is not accessible: " + e.getMessage());
                terminal.err().flush();
            }
        }
        terminal.echo(Timestamps.precise(ZonedDateTime.now()) + " Could not find any accessible member of cluster "
                + cluster);
        ClusterStore store = session.store(cluster);
        FailoverIntent none = new FailoverIntent(Optional.empty(), Optional.empty(), Optional.empty(), 0);
        try {
            if (!store.writeFailover(none, OptionalLong.of(failover.get().version()))) {
                throw new CtlException("the scheduled switchover changed meanwhile; nothing was discarded");
            }
        } catch (DcsException e) {
            throw new CtlException(
                    "cannot discard the scheduled switchover in " + store.describe() + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
