package org.bellwether.dcs;

import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;

/**
 * The DCS as an operator's tool uses it: it reads the cluster and writes only what an operator may write
 * ({@code config} and {@code failover} with compare-and-set, and removing the whole cluster). It holds no lease or
 * session of its own and has no way to write the leader key or a member key, so a tool built on it can never look
 * like a node. The contracts of {@link Dcs} (time budget, atomicity, ambiguous writes) apply.
 */
public interface ClusterStore extends AutoCloseable {
    /** Reads every key of the cluster at one revision (a linearizable read). */
    ClusterView read() throws DcsException;

    /** Writes {@code config}; with a version, only if it is still at that version (false otherwise). */
    boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) throws DcsException;

    /** Writes {@code failover}; with a version, only if it is still at that version (false otherwise). */
    boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException;

    /** Deletes every key of the cluster. */
    void deleteCluster() throws DcsException;

    /** Where the keys are, for messages: the store and the cluster prefix. */
    String describe();

    @Override
    void close();
}
