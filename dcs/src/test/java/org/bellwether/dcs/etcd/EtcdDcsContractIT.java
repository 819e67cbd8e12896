package org.bellwether.dcs.etcd;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.options.GetOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bellwether.config.EtcdConfig;
import org.bellwether.core.HostPort;
import org.bellwether.dcs.Dcs;
import org.bellwether.dcs.DcsContract;
import org.bellwether.dcs.ProxiedNodes;
import org.bellwether.dcs.TcpProxy;
import org.bellwether.testkit.EtcdCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** The DCS contract on a real three-member etcd cluster, each adapter behind its own proxies. */
class EtcdDcsContractIT extends DcsContract {
    static EtcdCluster etcd;
    static Client plain;

    private final ProxiedNodes proxies = new ProxiedNodes();

    @BeforeAll
    static void startEtcd() {
        etcd = EtcdCluster.startCluster(3);
        plain = Client.builder()
                .endpoints(etcd.endpoints().toArray(String[]::new))
                .build();
    }

    @AfterAll
    static void stopEtcd() {
        if (plain != null) {
            plain.close();
            plain = null;
        }
        if (etcd != null) {
            etcd.close();
            etcd = null;
        }
    }

    @AfterEach
    void closeProxies() {
        proxies.close();
    }

    @Override
    protected Dcs newAdapter(String prefix, String name, Duration ttl, Duration retryTimeout) {
        List<String> hosts = proxies.open(etcd.hostPorts());
        EtcdConfig config = new EtcdConfig(
                hosts.stream().map(HostPort::parse).toList(),
                "http",
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        return proxies.bind(new EtcdDcs(prefix, name, config, ttl, retryTimeout));
    }

    @Override
    protected void cut(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.SILENT);
    }

    @Override
    protected void dropReplies(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.DROP_REPLIES);
    }

    @Override
    protected void heal(Dcs node) {
        proxies.mode(node, TcpProxy.Mode.OPEN);
    }

    /**
     * Stops every member, then starts them all at once: a member serves clients only once it has rejoined a quorum,
     * and {@link EtcdCluster#start} waits for that, so starting them one after the other would never finish.
     */
    @Override
    protected void restartServers() throws Exception {
        for (int i = 0; i < etcd.size(); i++) {
            etcd.stop(i);
        }
        ExecutorService starters = Executors.newFixedThreadPool(etcd.size());
        try {
            List<Future<?>> started = new ArrayList<>();
            for (int i = 0; i < etcd.size(); i++) {
                int member = i;
                started.add(starters.submit(() -> etcd.start(member)));
            }
            for (Future<?> f : started) {
                f.get(40, TimeUnit.SECONDS);
            }
        } finally {
            starters.shutdownNow();
        }
        etcd.awaitHealthy(Duration.ofSeconds(20));
    }

    @Override
    protected Map<String, String> rawValues(String prefix) throws Exception {
        Map<String, String> values = new TreeMap<>();
        raw(prefix).forEach((k, kv) -> values.put(k, EtcdItSupport.text(kv.getValue())));
        return values;
    }

    @Override
    protected void writeRaw(String prefix, String relative, String value) throws Exception {
        plain.getKVClient()
                .put(EtcdItSupport.bytes(prefix + relative), EtcdItSupport.bytes(value))
                .get(5, TimeUnit.SECONDS);
    }

    @Override
    protected boolean livesWith(String prefix, String relative, Dcs node) throws Exception {
        KeyValue kv = raw(prefix).get(relative);
        return kv != null && kv.getLease() != 0 && kv.getLease() == ((EtcdDcs) node).leaseId();
    }

    private static Map<String, KeyValue> raw(String prefix) throws Exception {
        var response = plain.getKVClient()
                .get(
                        EtcdItSupport.bytes(prefix),
                        GetOption.builder().isPrefix(true).build())
                .get(5, TimeUnit.SECONDS);
        Map<String, KeyValue> raw = new TreeMap<>();
        for (KeyValue kv : response.getKvs()) {
            raw.put(EtcdItSupport.text(kv.getKey()).substring(prefix.length()), kv);
        }
        return raw;
    }
}
