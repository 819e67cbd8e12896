package org.bellwether.cli;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.bellwether.cli.format.Output.Format;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.core.HaSettings;
import org.bellwether.core.Member;
import org.bellwether.core.SynchronousMode;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;

/**
 * patronictl's {@code _do_failover_or_switchover}: checks the leader and candidate against the cluster, asks what was
 * not given (unless {@code --force}), posts the request to the leader (or, without one, to the candidate) and shows
 * the result. When that member's API does not answer at all, the request is written to the {@code failover} key
 * directly, as patronictl does; the leader's HA loop acts on it either way.
 */
final class FailoverRequest {
    private FailoverRequest() {}

    static int run(
            CtlSubcommand command,
            String action,
            Optional<String> clusterArg,
            Optional<String> candidateArg,
            boolean force,
            Optional<String> leaderArg,
            Optional<String> scheduledArg)
            throws CtlException {
        Session session = command.session;
        Terminal terminal = command.terminal;
        String cluster = session.clusterName(clusterArg);
        ClusterStore store = session.store(cluster);
        ClusterView view = session.readExisting(cluster);
        terminal.echo("Current cluster topology");
        terminal.print(MemberTable.render(view, cluster, false, Format.PRETTY));
        HaSettings settings = ClusterJson.settings(view);

        Optional<String> clusterLeader = view.leaderName();
        Optional<String> leader = Optional.empty();
        if (action.equals("switchover")) {
            if (clusterLeader.isEmpty()) {
                throw new CtlException("This cluster has no leader");
            }
            leader = leaderArg.isPresent()
                    ? leaderArg
                    : force
                            ? clusterLeader
                            : Optional.of(terminal.prompt(
                                    ClusterJson.isStandbyCluster(view) ? "Standby Leader" : "Primary", clusterLeader));
            if (!leader.equals(clusterLeader)) {
                throw new CtlException("Member " + leader.get() + " is not the leader of cluster " + cluster);
            }
        }
        List<String> candidates = view.members().stream()
                .filter(m -> !clusterLeader.map(m.name()::equals).orElse(false))
                .filter(m -> !m.tags().noFailover())
                .map(Member::name)
                .sorted()
                .toList();
        if (candidates.isEmpty()) {
            throw new CtlException("No candidates found to " + action + " to");
        }
        Optional<String> candidate = candidateArg;
        if (candidate.isEmpty() && !force) {
            candidate = Optional.of(terminal.prompt("Candidate " + Members.pythonList(candidates), Optional.of("")));
        }
        candidate = candidate.filter(c -> !c.isEmpty());
        if (action.equals("failover") && candidate.isEmpty()) {
            throw new CtlException("Failover could be performed only to a specific candidate");
        }
        if (candidate.isPresent() && !candidates.contains(candidate.get())) {
            if (candidate.equals(clusterLeader)) {
                throw new CtlException("Member " + candidate.get() + " is already the leader of cluster " + cluster);
            }
            throw new CtlException("Member " + candidate.get() + " does not exist in cluster " + cluster
                    + " or is tagged as nofailover");
        }
        if (!force
                && action.equals("failover")
                && settings.synchronousMode() != SynchronousMode.OFF
                && view.sync().map(s -> !s.syncStandbys().isEmpty()).orElse(false)
                && !inSync(view, candidate.get())) {
            if (!terminal.confirm(
                    "Are you sure you want to failover to the asynchronous node " + candidate.get() + "?")) {
                throw new CtlException("Aborting " + action);
            }
        }

        Optional<OffsetDateTime> scheduledAt = Optional.empty();
        if (action.equals("switchover")) {
            Optional<String> when = scheduledArg;
            if (when.isEmpty() && !force) {
                when = Optional.of(terminal.prompt(
                        "When should the switchover take place (e.g. " + Timestamps.nextHour(ZonedDateTime.now())
                                + " ) ",
                        Optional.of("now")));
            }
            scheduledAt = Timestamps.parseScheduled(when, ZoneId.systemDefault());
            if (scheduledAt.isPresent() && view.isPaused()) {
                throw new CtlException("Can't schedule switchover in the paused state");
            }
        }
        Optional<String> scheduledText = scheduledAt.map(Timestamps::isoformat);

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("candidate", candidate.orElse(null));
        leader.ifPresent(l -> body.put("leader", l));
        scheduledText.ifPresent(s -> body.put("scheduled_at", s));

        if (!force) {
            String demote =
                    clusterLeader.map(l -> ", demoting current leader " + l).orElse("");
            if (scheduledText.isPresent()) {
                if (!terminal.confirm("Are you sure you want to schedule switchover of cluster " + cluster + " at "
                        + scheduledText.get() + demote + "?")) {
                    throw new CtlException("Aborting scheduled " + action);
                }
            } else if (!terminal.confirm("Are you sure you want to " + action + " cluster " + cluster + demote + "?")) {
                throw new CtlException("Aborting " + action);
            }
        }

        Optional<String> chosen = candidate;
        Optional<Member> target = view.leaderMember().or(() -> chosen.flatMap(view::member));
        try {
            Member member = target.orElseThrow(() -> new CtlException("no member to send the " + action + " to"));
            RestClient.Response r = session.rest().send(member, "POST", action, Optional.of(body));
            if (r.status() == 501 && action.equals("switchover") && r.body().contains("Server does not support")) {
                r = session.rest().send(member, "POST", "failover", Optional.of(body));
            }
            if (r.status() == 200 || r.status() == 202) {
                terminal.echo(Timestamps.precise(ZonedDateTime.now()) + " " + Responses.body(r));
            } else {
                String title = action.substring(0, 1).toUpperCase(Locale.ROOT) + action.substring(1);
                terminal.echo(
                        Responses.notOffered(r)
                                ? title + " failed: member " + member.name() + ": " + Responses.missing(r)
                                : title + " failed, details: " + r.status() + ", " + Responses.body(r));
                return 1;
            }
        } catch (RestClient.Unreachable e) {
            terminal.err().println("Warning: " + e.getMessage());
            terminal.err().flush();
            terminal.echo(Timestamps.precise(ZonedDateTime.now()) + " Could not " + action
                    + " using Patroni api, falling back to DCS");
            FailoverIntent intent =
                    new FailoverIntent(leader, candidate, scheduledAt.map(OffsetDateTime::toInstant), 0);
            try {
                store.writeFailover(intent, OptionalLong.empty());
            } catch (DcsException d) {
                throw new CtlException(
                        "cannot write the " + action + " request to " + store.describe() + ": " + d.getMessage(), d);
            }
        }
        terminal.print(MemberTable.render(session.read(cluster), cluster, false, Format.PRETTY));
        return 0;
    }

    private static boolean inSync(ClusterView view, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return view.sync()
                .map(s -> s.syncStandbys().stream()
                        .anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower)))
                .orElse(false);
    }
}
