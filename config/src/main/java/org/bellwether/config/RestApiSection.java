package org.bellwether.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.bellwether.config.ConfigException.Kind;

/** Reads {@code restapi.*}. */
final class RestApiSection {
    /** RFC 9110's {@code token}: the characters a header name may have. */
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

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
        if (config.ciphers().isPresent() && config.certfile().isEmpty()) {
            s.warn("ciphers", "has no effect without restapi.certfile: the REST API serves plain HTTP");
        } else if (config.ciphers().isPresent()) {
            ciphers(s, config.ciphers().get());
        }
        extraHeaders(s, "http_extra_headers", config.httpExtraHeaders());
        extraHeaders(s, "https_extra_headers", config.httpsExtraHeaders());
        s.warnUnknown();
        return config;
    }

    /** A cipher string that leaves the JDK no suite would make every TLS handshake fail: refused before starting. */
    private static void ciphers(Section s, String cipherString) throws ConfigException {
        try {
            OpenSslCipherString.enabledSuites(cipherString);
        } catch (IllegalArgumentException e) {
            throw s.error(Kind.INVALID_VALUE, "ciphers", e.getMessage());
        }
    }

    /**
     * Header names must be HTTP tokens and values single lines: anything else would be refused by the HTTP encoder on
     * every response, or split into headers nobody configured.
     */
    private static void extraHeaders(Section s, String key, Map<String, String> headers) throws ConfigException {
        for (Map.Entry<String, String> header : headers.entrySet()) {
            if (!HEADER_NAME.matcher(header.getKey()).matches()) {
                throw s.error(Kind.INVALID_VALUE, key, "'" + header.getKey() + "' is not a valid HTTP header name");
            }
            if (header.getValue().chars().anyMatch(c -> c == '\r' || c == '\n' || c == 0)) {
                throw s.error(Kind.INVALID_VALUE, key, "the value of '" + header.getKey() + "' must be a single line");
            }
        }
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
