package org.bellwether.cli;

import java.util.Optional;
import org.bellwether.core.ClusterView;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code remove}: deletes every key of a cluster from the DCS, after patronictl's typed confirmations: the cluster's
 * name, the sentence {@code Yes I am aware}, and, while a leader holds the lock, the leader's name. As in patronictl
 * there is no {@code --force}: a script answers on standard input.
 */
@Command(
        name = "remove",
        description = "Remove cluster from DCS",
        mixinStandardHelpOptions = true,
        versionProvider = CtlCommand.Version.class)
final class RemoveCommand extends CtlSubcommand {
    static final String AWARE = "Yes I am aware";

    @Parameters(index = "0", paramLabel = "CLUSTER_NAME", description = "The cluster to remove.")
    String cluster;

    @Mixin
    Options.FormatOption format;

    @Override
    int run() throws CtlException {
        ClusterStore store = session.store(cluster);
        ClusterView view = session.readExisting(cluster);
        terminal.print(MemberTable.render(view, cluster, false, format.format));
        if (!terminal.prompt("Please confirm the cluster name to remove", Optional.empty())
                .equals(cluster)) {
            throw new CtlException("Cluster names specified do not match");
        }
        String typed = terminal.prompt(
                "You are about to remove all information in DCS for " + cluster + ", please type: \"" + AWARE + "\"",
                Optional.empty());
        if (!typed.equals(AWARE)) {
            throw new CtlException("You did not exactly type \"" + AWARE + "\"");
        }
        Optional<String> leader = view.leaderName();
        if (leader.isPresent()) {
            String named = terminal.prompt(
                    "This cluster currently is healthy. Please specify the leader name to continue", Optional.empty());
            if (!named.equals(leader.get())) {
                throw new CtlException("You did not specify the current leader of the cluster");
            }
        }
        try {
            store.deleteCluster();
        } catch (DcsException e) {
            throw new CtlException(
                    "cannot remove cluster '" + cluster + "' from " + store.describe() + ": " + e.getMessage(), e);
        }
        return 0;
    }
}
