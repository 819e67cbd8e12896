package org.bellwether.config;

import java.util.Optional;
import org.bellwether.config.ConfigException.Kind;

/** Reads {@code restapi.*}. */
final class RestApiSection {
    private RestApiSection() {}

    static RestApiConfig read(Section s) throws ConfigException {
        RestApiConfig config = new RestApiConfig(
                Addresses.hostPort(s, "listen", listen(s)),
                Addresses.connectAddress(s, "connect_address"),
                authentication(s, "authentication"),
                s.file("certfile"),
                s.file("keyfile"),
                s.text("keyfile_password"),
                s.file("cafile"),
                s.choice("verify_client", "none", "optional", "required"),
                s.commaList("allowlist"),
                s.text("ciphers"),
                s.bool("allowlist_include_members").orElse(false),
                s.textMap("http_extra_headers"),
                s.textMap("https_extra_headers"),
                s.integer("request_queue_size", 0, 4096)
                        .map(Long::intValue)
                        .orElse(RestApiConfig.DEFAULT_REQUEST_QUEUE_SIZE),
                s.choice("server_tokens", "minimal", "productonly", "original"));
        if (config.keyfile().isPresent() && config.certfile().isEmpty()) {
            s.warn("keyfile", "has no effect without restapi.certfile: the REST API serves plain HTTP");
        }
        if (config.ciphers().isPresent()) {
            // OpenSSL's cipher strings do not map one to one onto the JDK's suite names; saying so beats guessing.
            s.warn("ciphers", "is not applied: the REST API uses the JDK's default TLS cipher suites");
        }
        s.warnUnknown();
        return config;
    }

    /** Patroni binds to every address for an empty host ({@code :8008}); {@code *} says the same explicitly. */
    private static String listen(Section s) throws ConfigException {
        String text = s.requiredText("listen").trim();
        return text.startsWith(":") ? "*" + text : text;
    }

    /** {@code username} and {@code password} together, as for basic authentication of REST and ctl. */
    static Optional<Credentials> authentication(Section parent, String key) throws ConfigException {
        Optional<Section> auth = parent.section(key);
        if (auth.isEmpty()) {
            return Optional.empty();
        }
        Section a = auth.get();
        String username = a.requiredText("username");
        String password = a.requiredText("password");
        if (username.contains(":")) {
            throw a.error(Kind.INVALID_VALUE, "username", "basic authentication does not allow ':' in a user name");
        }
        a.warnUnknown();
        return Optional.of(new Credentials(username, Optional.of(password)));
    }
}
