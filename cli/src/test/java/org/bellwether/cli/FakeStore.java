package org.bellwether.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.ClusterView;
import org.bellwether.core.FailoverIntent;
import org.bellwether.dcs.ClusterAssembler;
import org.bellwether.dcs.ClusterStore;
import org.bellwether.dcs.DcsException;
import org.bellwether.dcs.PatroniCodec;

/** A cluster's keys in memory, in Patroni's value formats, with etcd-like versions for compare-and-set. */
final class FakeStore implements ClusterStore {
    record Value(String text, long version) {}

    final Map<String, Value> keys = new TreeMap<>();
    final List<String> writes = new ArrayList<>();
    private long revision = 100;
    boolean unreachable;
    /** Runs before each compare-and-set write, to simulate a concurrent writer. */
    Runnable beforeWrite = () -> {};

    boolean closed;
    private final String prefix;

    FakeStore(String prefix) {
        this.prefix = prefix;
    }

    FakeStore put(String relativeKey, String value) {
        keys.put(relativeKey, new Value(value, ++revision));
        return this;
    }

    @Override
    public ClusterView read() throws DcsException {
        if (unreachable) {
            throw new DcsException("read cluster at " + prefix + ": deadline exceeded on http://127.0.0.1:2379");
        }
        List<ClusterAssembler.StoredKey> stored = new ArrayList<>();
        keys.forEach((k, v) -> stored.add(new ClusterAssembler.StoredKey(k, v.text(), v.version())));
        return ClusterAssembler.assemble(prefix, stored);
    }

    @Override
    public boolean writeConfig(SortedMap<String, Object> config, OptionalLong expectedVersion) {
        return compareAndPut("config", PatroniCodec.encodeConfig(config), expectedVersion);
    }

    @Override
    public boolean writeFailover(FailoverIntent intent, OptionalLong expectedVersion) {
        return compareAndPut("failover", PatroniCodec.encodeFailover(intent), expectedVersion);
    }

    private boolean compareAndPut(String key, String value, OptionalLong expectedVersion) {
        beforeWrite.run();
        Value current = keys.get(key);
        if (expectedVersion.isPresent() && (current == null || current.version() != expectedVersion.getAsLong())) {
            return false;
        }
        put(key, value);
        writes.add(key + "=" + value);
        return true;
    }

    @Override
    public void deleteCluster() {
        keys.clear();
        writes.add("delete cluster");
    }

    @Override
    public String describe() {
        return "etcd3 at http://127.0.0.1:2379 under " + prefix;
    }

    @Override
    public void close() {
        closed = true;
    }

    static TreeMap<String, Object> config(FakeStore store) throws DcsException {
        return new TreeMap<>(store.read().config().orElseThrow().raw());
    }
}
