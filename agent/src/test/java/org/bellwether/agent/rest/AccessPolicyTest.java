package org.bellwether.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.bellwether.config.Credentials;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessPolicyTest {
    private static final Optional<Credentials> ADMIN = Optional.of(new Credentials("admin", Optional.of("pw")));

    @ParameterizedTest(name = "{0} with allowlist {1} -> allowed={2}")
    @CsvSource({
        "127.0.0.1, 127.0.0.1, true",
        "127.0.0.2, 127.0.0.1, false",
        "10.1.2.3, 10.0.0.0/8, true",
        "11.1.2.3, 10.0.0.0/8, false",
        "192.168.1.130, 192.168.1.128/25, true",
        "192.168.1.127, 192.168.1.128/25, false",
        "::1, ::1/128, true",
        "127.0.0.1, ::1/128, false"
    })
    void allowlist_admitsOnlyListedNetworks(String client, String allowlist, boolean allowed) throws Exception {
        AccessPolicy policy = new AccessPolicy(Optional.empty(), List.of(allowlist));

        Optional<Response> refusal = policy.check(InetAddress.getByName(client), Optional.empty());

        assertThat(refusal.isEmpty()).isEqualTo(allowed);
        refusal.ifPresent(r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void callerOutsideAllowlist_isRefused403BeforeCredentialsAreLookedAt() throws Exception {
        AccessPolicy policy = new AccessPolicy(ADMIN, List.of("10.0.0.0/8"));

        Optional<Response> refusal = policy.check(InetAddress.getByName("127.0.0.1"), Optional.of(basic("admin:pw")));

        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void garbledBase64_isRefused401() throws Exception {
        AccessPolicy policy = new AccessPolicy(ADMIN, List.of());

        Optional<Response> refusal = policy.check(InetAddress.getByName("127.0.0.1"), Optional.of("Basic %%%"));

        assertThat(refusal).hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(401));
    }

    @Test
    void rightCredentialsWithLowercaseScheme_areAccepted() throws Exception {
        AccessPolicy policy = new AccessPolicy(ADMIN, List.of());

        Optional<Response> refusal = policy.check(
                InetAddress.getByName("127.0.0.1"),
                Optional.of(basic("admin:pw").replace("Basic", "basic")));

        assertThat(refusal).isEmpty();
    }

    @ParameterizedTest(name = "{0} with allowlist [{1}] and members 10.9.0.1 -> allowed={2}")
    @CsvSource({
        "10.9.0.1, '', true",
        "10.9.0.2, '', false",
        "10.9.0.1, 192.168.0.0/16, true",
        "192.168.3.4, 192.168.0.0/16, true",
        "10.9.0.2, 192.168.0.0/16, false"
    })
    void includedMembers_areAllowedBesideTheAllowlist_andAloneRestrictToMembers(
            String client, String allowlist, boolean allowed) throws Exception {
        InetAddress member = InetAddress.getByName("10.9.0.1");
        AccessPolicy policy = new AccessPolicy(
                Optional.empty(), allowlist.isEmpty() ? List.of() : List.of(allowlist), Optional.of(member::equals));

        Optional<Response> refusal = policy.check(InetAddress.getByName(client), Optional.empty());

        assertThat(refusal.isEmpty()).isEqualTo(allowed);
    }

    @Test
    void whereMembersDoNotCount_onlyTheAllowlistRestricts() throws Exception {
        InetAddress member = InetAddress.getByName("10.9.0.1");
        AccessPolicy membersOnly = new AccessPolicy(Optional.empty(), List.of(), Optional.of(member::equals));
        AccessPolicy both = new AccessPolicy(Optional.empty(), List.of("192.168.0.0/16"), Optional.of(member::equals));

        assertThat(membersOnly.check(InetAddress.getByName("10.9.0.2"), Optional.empty(), false))
                .isEmpty();
        assertThat(both.check(member, Optional.empty(), false))
                .hasValueSatisfying(r -> assertThat(r.status()).isEqualTo(403));
    }

    @Test
    void badPrefixLength_isAConfigurationError() {
        assertThatThrownBy(() -> new AccessPolicy(Optional.empty(), List.of("10.0.0.0/40")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("restapi.allowlist");
    }

    private static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }
}
