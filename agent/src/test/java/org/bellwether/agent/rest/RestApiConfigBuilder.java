package org.bellwether.agent.rest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bellwether.config.Credentials;
import org.bellwether.config.RestApiConfig;
import org.bellwether.core.HostPort;

/** A {@code restapi} section with only the settings a test names; the listen address is overridden by each test. */
final class RestApiConfigBuilder {
    private Optional<Credentials> authentication = Optional.empty();
    private Optional<Path> certfile = Optional.empty();
    private Optional<Path> keyfile = Optional.empty();
    private Optional<String> keyfilePassword = Optional.empty();
    private List<String> allowlist = List.of();
    private boolean allowlistIncludeMembers;
    private Optional<String> ciphers = Optional.empty();
    private Map<String, String> httpExtraHeaders = Map.of();
    private Map<String, String> httpsExtraHeaders = Map.of();
    private int requestQueueSize = RestApiConfig.DEFAULT_REQUEST_QUEUE_SIZE;
    private Optional<String> serverTokens = Optional.empty();

    RestApiConfigBuilder authentication(String user, String password) {
        authentication = Optional.of(new Credentials(user, Optional.of(password)));
        return this;
    }

    RestApiConfigBuilder tls(Path certfile, Path keyfile) {
        this.certfile = Optional.of(certfile);
        this.keyfile = Optional.of(keyfile);
        return this;
    }

    RestApiConfigBuilder keyfilePassword(String password) {
        keyfilePassword = Optional.of(password);
        return this;
    }

    RestApiConfigBuilder allowlist(String... entries) {
        allowlist = List.of(entries);
        return this;
    }

    RestApiConfigBuilder allowlistIncludeMembers() {
        allowlistIncludeMembers = true;
        return this;
    }

    RestApiConfigBuilder ciphers(String cipherString) {
        ciphers = Optional.of(cipherString);
        return this;
    }

    RestApiConfigBuilder httpExtraHeaders(Map<String, String> headers) {
        httpExtraHeaders = headers;
        return this;
    }

    RestApiConfigBuilder httpsExtraHeaders(Map<String, String> headers) {
        httpsExtraHeaders = headers;
        return this;
    }

    RestApiConfigBuilder requestQueueSize(int size) {
        requestQueueSize = size;
        return this;
    }

    RestApiConfigBuilder serverTokens(String tokens) {
        serverTokens = Optional.of(tokens);
        return this;
    }

    RestApiConfig build() {
        HostPort address = new HostPort("127.0.0.1", 8008);
        return new RestApiConfig(
                address,
                address,
                authentication,
                certfile,
                keyfile,
                keyfilePassword,
                Optional.empty(),
                Optional.empty(),
                allowlist,
                ciphers,
                allowlistIncludeMembers,
                new TreeMap<>(httpExtraHeaders),
                new TreeMap<>(httpsExtraHeaders),
                requestQueueSize,
                serverTokens);
    }
}
