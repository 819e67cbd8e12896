package org.bellwether.agent.rest;

import java.util.List;
import java.util.Optional;
import org.bellwether.config.Credentials;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.HostPort;

/** {@code restapi} sections for tests; the listen address is overridden with port 0 by each test. */
final class RestApiServerTestConfig {
    private RestApiServerTestConfig() {}

    static RestApiConfig plain() {
        return with(Optional.empty(), List.of());
    }

    static RestApiConfig withAuthentication(String user, String password) {
        return with(Optional.of(new Credentials(user, Optional.of(password))), List.of());
    }

    static RestApiConfig with(Optional<Credentials> authentication, List<String> allowlist) {
        HostPort address = new HostPort("127.0.0.1", 8008);
        return new RestApiConfig(
                address,
                address,
                authentication,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                allowlist);
    }
}
