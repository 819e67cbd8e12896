package org.bellwether.app.it;

import java.util.ArrayList;
import java.util.List;
import org.bellwether.testkit.TcpProxy;

/**
 * The network paths of one node, each through a {@link TcpProxy} the test can break: the node's own connections to
 * every etcd member (its {@code etcd3.hosts} name the proxies), and the inbound paths its peers use, PostgreSQL (the
 * replicas' upstream, through {@code postgresql.connect_address}) and REST (the peers' probes in a leader race,
 * through {@code restapi.connect_address}). HAProxy and the tests' own clients use the real ports, so breaking these
 * links cuts the node off from the DCS and its peers while its clients still reach it.
 */
record NodeLinks(List<TcpProxy> etcd, TcpProxy postgres, TcpProxy rest) implements AutoCloseable {

    static NodeLinks start(String node, List<Integer> etcdClientPorts, int pgPort, int restPort) {
        List<TcpProxy> etcd = new ArrayList<>();
        for (int i = 0; i < etcdClientPorts.size(); i++) {
            etcd.add(TcpProxy.start(node + "-etcd" + i, etcdClientPorts.get(i)));
        }
        return new NodeLinks(
                List.copyOf(etcd), TcpProxy.start(node + "-pg", pgPort), TcpProxy.start(node + "-rest", restPort));
    }

    /** {@code 127.0.0.1:<proxy port>} for each etcd member, in member order: the node's etcd3.hosts. */
    List<String> etcdHosts() {
        return etcd.stream().map(p -> "127.0.0.1:" + p.port()).toList();
    }

    /** The node can no longer reach etcd; requests hang until the client's own timeouts, as in a partition. */
    void partitionFromDcs() {
        etcd.forEach(TcpProxy::blackhole);
    }

    /** Peers can no longer stream from the node or probe its REST API: connections are refused and reset. */
    void cutFromPeers() {
        postgres.cut();
        rest.cut();
    }

    void heal() {
        etcd.forEach(TcpProxy::restore);
        postgres.restore();
        rest.restore();
    }

    @Override
    public void close() {
        etcd.forEach(TcpProxy::close);
        postgres.close();
        rest.close();
    }
}
