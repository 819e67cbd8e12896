package org.bellwether.dcs;

import java.util.OptionalLong;
import java.util.SortedMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;

/**
 * A {@link ClusterStore} over a full adapter that is only ever asked to read and to make the operator's writes.
 * Adapters take a lease or session lazily, on the first lock or member call, so one that is never asked for those
 * holds nothing; this wrapper is what keeps them from being asked.
 */
final class OperatorStore implements ClusterStore {
    /** The adapters need a node name; this one never appears in the DCS because nothing is published under it. */
    static final String NAME = "bellwether-ctl";

    private final Dcs dcs;
    private final String description;

    OperatorStore(Dcs dcs, String description) {
        this.dcs = dcs;
        this.description = description;
    }

    @Override
    public ClusterView read() throws DcsException {
        return dcs.read();
    }

    @Override
    public boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) throws DcsException {
        return dcs.writeConfig(config, expectedVersion);
    }

    @Override
    public boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) throws DcsException {
        return dcs.writeFailover(intent, expectedVersion);
    }

    @Override
    public void deleteCluster() throws DcsException {
        dcs.deleteCluster();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        dcs.close();
    }
}
