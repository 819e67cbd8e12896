package org.bellwether.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.bellwether.core.HostPort;
import org.junit.jupiter.api.Test;

class DcsUrlTest {
    @Test
    void etcd3_withHostPortAndNamespace() throws CtlException {
        DcsUrl url = DcsUrl.parse("etcd3://10.0.0.5:2399/clusters");

        assertThat(url.scheme()).isEqualTo("etcd3");
        assertThat(url.address()).isEqualTo(new HostPort("10.0.0.5", 2399));
        assertThat(url.namespace()).contains("/clusters");
        assertThat(url.etcd3().orElseThrow().endpoints()).containsExactly("http://10.0.0.5:2399");
        assertThat(url.zookeeper()).isEmpty();
    }

    @Test
    void defaults_hostAndPort_noNamespace() throws CtlException {
        assertThat(DcsUrl.parse("etcd3://"))
                .isEqualTo(new DcsUrl("etcd3", new HostPort("localhost", 2379), Optional.empty()));
        assertThat(DcsUrl.parse("etcd3://:2399/"))
                .isEqualTo(new DcsUrl("etcd3", new HostPort("localhost", 2399), Optional.empty()));
        assertThat(DcsUrl.parse("zookeeper://zk1").address()).isEqualTo(new HostPort("zk1", 2181));
    }

    @Test
    void withoutScheme_thePortDecides_etcd3OtherwiseNotV2() throws CtlException {
        assertThat(DcsUrl.parse("zk1:2181").scheme()).isEqualTo("zookeeper");
        assertThat(DcsUrl.parse("10.0.0.1:2379").scheme()).isEqualTo("etcd3");
        assertThat(DcsUrl.parse("10.0.0.1").address()).isEqualTo(new HostPort("10.0.0.1", 2379));
    }

    @Test
    void ipv6Host() throws CtlException {
        assertThat(DcsUrl.parse("etcd3://[::1]:2379").address()).isEqualTo(new HostPort("::1", 2379));
    }

    @Test
    void unsupportedAndUnknownSchemes_areOneSentence() {
        assertThatThrownBy(() -> DcsUrl.parse("etcd://localhost:2379"))
                .isInstanceOf(CtlException.class)
                .hasMessageStartingWith("etcd's v2 API is not supported");
        assertThatThrownBy(() -> DcsUrl.parse("consul://localhost:8500"))
                .hasMessage("the DCS 'consul' is not supported; use etcd3:// or zookeeper://");
        assertThatThrownBy(() -> DcsUrl.parse("foo://x")).hasMessage("Unknown dcs scheme: foo");
        assertThatThrownBy(() -> DcsUrl.parse("etcd3://h:port")).hasMessageContaining("the port is not a number");
        assertThatThrownBy(() -> DcsUrl.parse("etcd3://h:70000")).hasMessageContaining("port must be between");
    }
}
