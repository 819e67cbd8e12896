package org.bellwether.cli;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code restart}: restarts PostgreSQL on the chosen members through {@code POST /restart}, now or scheduled. */
@Command(
        name = "restart",
        description = "Restart cluster member",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class RestartCommand extends CtlSubcommand {
    @Parameters(index = "0", paramLabel = "CLUSTER_NAME", description = "The cluster.")
    String cluster;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAMES", description = "Members to restart.")
    List<String> names = new ArrayList<>();

    @Option(
            names = {"-r", "--role"},
            converter = CtlRole.Converter.class,
            description = "Restart only members with this role (default: any).")
    CtlRole role = CtlRole.ANY;

    @Option(names = "--any", description = "Restart a single member only.")
    boolean any;

    @Option(
            names = "--scheduled",
            paramLabel = "TIME",
            description = "Timestamp of a scheduled restart in unambiguous format (e.g. ISO 8601).")
    String scheduled;

    @Option(
            names = "--pg-version",
            paramLabel = "VERSION",
            description = "Restart if the PostgreSQL version is less than provided (e.g. 9.5.2).")
    String version;

    @Option(names = "--pending", description = "Restart if pending.")
    boolean pending;

    @Option(
            names = "--timeout",
            paramLabel = "SEC",
            description = "Return error and fail over if necessary when restarting takes longer than this.")
    String timeout;

    @Mixin
    Options.ForceOption force;

    @Override
    int run() throws CtlException {
        ClusterView view = session.readExisting(cluster);
        List<Member> members =
                new ArrayList<>(Members.choose(this, view, cluster, names, role, force.force, "restart", false));
        Optional<String> when = Optional.ofNullable(scheduled);
        if (when.isEmpty() && !force.force) {
            when = Optional.of(terminal.prompt(
                    "When should the restart take place (e.g. " + Timestamps.nextHour(ZonedDateTime.now()) + ") ",
                    Optional.of("now")));
        }
        Optional<OffsetDateTime> scheduledAt = Timestamps.parseScheduled(when, ZoneId.systemDefault());

        Map<String, Object> content = new LinkedHashMap<>();
        if (pending) {
            content.put("restart_pending", true);
            // A scheduled restart is filtered when it runs: which members need one may change until then.
            if (scheduledAt.isEmpty()) {
                members.removeIf(m -> !m.pendingRestart());
            }
        }
        if (any) {
            Collections.shuffle(members);
            members = new ArrayList<>(members.subList(0, Math.min(1, members.size())));
        }
        Members.confirm(terminal, members, force.force, "restart", scheduledAt.map(Timestamps::isoformat), pending);
        Optional<String> pgVersion = Optional.ofNullable(version);
        if (pgVersion.isEmpty() && !force.force) {
            pgVersion = Optional.of(terminal.prompt(
                    "Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ", Optional.of("")));
        }
        if (pgVersion.isPresent() && !pgVersion.get().isEmpty()) {
            checkVersion(pgVersion.get());
            content.put("postgres_version", pgVersion.get());
        }
        if (scheduledAt.isPresent()) {
            if (view.isPaused()) {
                throw new CtlException("Can't schedule restart in the paused state");
            }
            content.put("schedule", Timestamps.isoformat(scheduledAt.get()));
        }
        if (timeout != null) {
            content.put("timeout", timeout);
        }
        int exit = 0;
        for (Member m : members) {
            try {
                if (content.containsKey("schedule") && force.force && m.extra().get("scheduled_restart") != null) {
                    RestClient.Response flushed = session.rest().send(m, "DELETE", "restart", Optional.empty());
                    Responses.check(terminal, flushed, m, "flush scheduled restart", true);
                }
                RestClient.Response r = session.rest().send(m, "POST", "restart", Optional.of(content));
                if (r.status() == 200) {
                    terminal.echo("Success: restart on member " + m.name());
                } else if (r.status() == 202) {
                    terminal.echo("Success: restart scheduled on member " + m.name());
                } else if (r.status() == 409) {
                    terminal.echo("Failed: another restart is already scheduled on member " + m.name());
                    exit = 1;
                } else {
                    terminal.echo(Responses.failed(r, m, "restart"));
                    exit = 1;
                }
            } catch (RestClient.Unreachable e) {
                terminal.echo("Failed: restart for member " + m.name() + ": " + e.getMessage());
                exit = 1;
            }
        }
        return exit;
    }

    /** Patroni's {@code postgres_version_to_int}: {@code X.Y} or {@code X.Y.Z} with numbers. */
    static void checkVersion(String version) throws CtlException {
        String[] parts = version.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw new CtlException("Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + version);
        }
        for (String p : parts) {
            if (!p.matches("\\d+")) {
                throw new CtlException("Invalid PostgreSQL version: " + version);
            }
        }
    }
}
