package org.bellwether.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
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

/** {@code reinit}: rebuilds replicas from scratch through {@code POST /reinitialize}, optionally waiting for it. */
@Command(
        name = "reinit",
        description = "Reinitialize cluster member",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class ReinitCommand extends CtlSubcommand {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 2000;

    @Parameters(index = "0", paramLabel = "CLUSTER_NAME", description = "The cluster.")
    String cluster;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER_NAMES", description = "Replicas to rebuild.")
    List<String> names = new ArrayList<>();

    @Mixin
    Options.ForceOption force;

    @Option(names = "--from-leader", description = "Get basebackup from leader.")
    boolean fromLeader;

    @Option(names = "--wait", description = "Wait until reinitialization completes.")
    boolean await;

    @Override
    int run() throws CtlException {
        ClusterView view = session.readExisting(cluster);
        List<Member> members =
                Members.choose(this, view, cluster, names, CtlRole.REPLICA, force.force, "reinitialize", true);
        List<Member> waitFor = new ArrayList<>();
        int exit = 0;
        for (Member m : members) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("force", force.force);
            body.put("from_leader", fromLeader);
            try {
                boolean started;
                while (true) {
                    RestClient.Response r = session.rest().send(m, "POST", "reinitialize", Optional.of(body));
                    started = Responses.check(terminal, r, m, "reinitialize", false);
                    if (!started
                            && Responses.body(r).endsWith(" already in progress")
                            && !force.force
                            && terminal.confirm("Do you want to cancel it and reinitialize anyway?")) {
                        body.put("force", true);
                        continue;
                    }
                    break;
                }
                if (!started) {
                    exit = 1;
                } else if (await) {
                    waitFor.add(m);
                }
            } catch (RestClient.Unreachable e) {
                terminal.echo("Failed: reinitialize for member " + m.name() + ": " + e.getMessage());
                exit = 1;
            }
        }
        awaitCompletion(waitFor);
        return exit;
    }

    /** Polls {@code GET /patroni} every two seconds until no member reports {@code creating replica}. */
    private void awaitCompletion(List<Member> members) throws CtlException {
        List<Member> waiting = new ArrayList<>(members);
        List<Member> shown = new ArrayList<>();
        while (!waiting.isEmpty()) {
            if (!waiting.equals(shown)) {
                terminal.echo("Waiting for reinitialize to complete on: "
                        + String.join(", ", waiting.stream().map(Member::name).toList()));
                shown = new ArrayList<>(waiting);
            }
            sleep();
            for (Member m : new ArrayList<>(waiting)) {
                try {
                    String state = JSON.readTree(
                                    session.rest().get(m, "patroni").body())
                            .path("state")
                            .asText("");
                    if (!state.equals("creating replica")) {
                        terminal.echo("Reinitialize is completed on: " + m.name());
                        waiting.remove(m);
                    }
                } catch (RestClient.Unreachable | IOException e) {
                    // The member restarts while it rebuilds; ask again next round.
                }
            }
        }
    }

    private static void sleep() throws CtlException {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtlException("interrupted while waiting for reinitialize to complete");
        }
    }
}
