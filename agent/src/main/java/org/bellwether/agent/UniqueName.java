package org.bellwether.agent;

import java.util.Optional;
import java.util.function.Predicate;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsException;

/**
 * Refuses to start a second agent under a name that is in use, as Patroni does: two agents with one name would
 * write one member key and take turns at one leader lock, and each could run its own primary. A name is in use when
 * its member key is alive and its REST API answers.
 */
public final class UniqueName {
    private UniqueName() {}

    /**
     * Why {@code name} may not start, or empty. A DCS that cannot be read is no reason to refuse: the agent then
     * starts and waits for the DCS as usual.
     */
    public static Optional<String> clash(String name, Dcs dcs, Predicate<String> answersAt) {
        ClusterView cluster;
        try {
            cluster = dcs.read();
        } catch (DcsException e) {
            return Optional.empty();
        }
        return clash(name, cluster, answersAt);
    }

    static Optional<String> clash(String name, ClusterView cluster, Predicate<String> answersAt) {
        return cluster.member(name)
                .flatMap(Member::apiUrl)
                .filter(answersAt)
                .map(url -> "there is already a node named '" + name + "' running (its member key is alive and its"
                        + " REST API at " + url + " answers); give this node another name");
    }
}
