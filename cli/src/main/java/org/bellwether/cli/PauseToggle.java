package org.bellwether.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;

/**
 * patronictl's {@code toggle_pause}: {@code PATCH /config} with {@code {"pause": true}} (or {@code null} to resume) on
 * the first member that answers, the leader first; with {@code --wait}, until every member reports the new state.
 */
final class PauseToggle {
    private PauseToggle() {}

    static int run(CtlSubcommand command, Optional<String> clusterArg, boolean paused, boolean await)
            throws CtlException {
        Session session = command.session;
        Terminal terminal = command.terminal;
        String cluster = session.clusterName(clusterArg);
        ClusterView view = session.readExisting(cluster);
        if (view.isPaused() == paused) {
            throw new CtlException("Cluster is " + (paused ? "already" : "not") + " paused");
        }
        String verb = paused ? "pause" : "resume";
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pause", paused ? Boolean.TRUE : null);
        for (Member m : Members.leaderFirst(view)) {
            RestClient.Response r;
            try {
                r = session.rest().send(m, "PATCH", "config", Optional.of(body));
            } catch (RestClient.Unreachable e) {
                terminal.err().println("Warning: member " + m.name() + " is not accessible: " + e.getMessage());
                terminal.err().flush();
                continue;
            }
            if (r.status() == 200) {
                if (await) {
                    return awaitApplied(session, terminal, cluster, view, paused);
                }
                terminal.echo("Success: cluster management is " + (paused ? "paused" : "resumed"));
                return 0;
            }
            terminal.echo(
                    Responses.notOffered(r)
                            ? "Failed: " + verb + " cluster management on member " + m.name() + ": "
                                    + Responses.missing(r)
                            : "Failed: " + verb + " cluster management status code=" + r.status() + ", ("
                                    + Responses.body(r) + ")");
            return 1;
        }
        throw new CtlException("Can not find accessible cluster member");
    }

    /** patronictl's {@code wait_until_pause_is_applied}: polls the members' keys each second for loop_wait + 1 s. */
    private static int awaitApplied(Session session, Terminal terminal, String cluster, ClusterView old, boolean paused)
            throws CtlException {
        terminal.echo("'" + (paused ? "pause" : "resume") + "' request sent, waiting until it is recognized by all"
                + " nodes");
        List<String> names = old.members().stream()
                .filter(m -> m.apiUrl().isPresent())
                .map(Member::name)
                .toList();
        long loopWait = ClusterJson.loopWait(old);
        long deadline = System.nanoTime() + (loopWait + 1) * 1_000_000_000L;
        ClusterView view = old;
        while (true) {
            view = session.read(cluster);
            boolean all = view.members().stream()
                    .filter(m -> names.contains(m.name()))
                    .allMatch(m -> m.paused() == paused);
            if (all) {
                break;
            }
            if (System.nanoTime() >= deadline) {
                List<String> remaining = view.members().stream()
                        .filter(m -> names.contains(m.name()) && m.paused() != paused)
                        .map(Member::name)
                        .toList();
                terminal.echo(String.join(", ", remaining) + " members didn't recognized pause state after " + loopWait
                        + " seconds");
                return 1;
            }
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CtlException("interrupted while waiting for the members");
            }
        }
        terminal.echo("Success: cluster management is " + (paused ? "paused" : "resumed"));
        return 0;
    }
}
