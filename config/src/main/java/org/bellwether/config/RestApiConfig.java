package org.bellwether.config;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.bellwether.core.HostPort;

/**
 * {@code restapi.*}: where the REST API listens, how peers reach it, and how unsafe calls are protected.
 *
 * @param listen the host {@code *} means every address
 * @param verifyClient {@code none}, {@code optional} or {@code required}
 * @param allowlistIncludeMembers whether members registered in the DCS may also call unsafe endpoints
 * @param requestQueueSize the listen backlog; {@link #DEFAULT_REQUEST_QUEUE_SIZE} when not set
 * @param serverTokens {@code minimal}, {@code productonly} or {@code original}: how much the Server header says
 */
public record RestApiConfig(
        HostPort listen,
        HostPort connectAddress,
        Optional<Credentials> authentication,
        Optional<Path> certfile,
        Optional<Path> keyfile,
        Optional<String> keyfilePassword,
        Optional<Path> cafile,
        Optional<String> verifyClient,
        List<String> allowlist,
        Optional<String> ciphers,
        boolean allowlistIncludeMembers,
        SortedMap<String, String> httpExtraHeaders,
        SortedMap<String, String> httpsExtraHeaders,
        int requestQueueSize,
        Optional<String> serverTokens) {

    /**
     * Patroni's default is Python's {@code socketserver} default, 5, not a choice of its own. With so short a queue a
     * burst of connections (health checks of several load balancers, a reconnecting client pool) overflows it and
     * the kernel drops SYNs, so a health check waits a second for its retransmission; a longer queue costs nothing,
     * since connections are accepted at once. An explicit {@code request_queue_size} is applied as given.
     */
    public static final int DEFAULT_REQUEST_QUEUE_SIZE = 256;

    public RestApiConfig {
        allowlist = List.copyOf(allowlist);
        httpExtraHeaders = Collections.unmodifiableSortedMap(new TreeMap<>(httpExtraHeaders));
        httpsExtraHeaders = Collections.unmodifiableSortedMap(new TreeMap<>(httpsExtraHeaders));
    }

    public RestApiConfig(
            HostPort listen,
            HostPort connectAddress,
            Optional<Credentials> authentication,
            Optional<Path> certfile,
            Optional<Path> keyfile,
            Optional<String> keyfilePassword,
            Optional<Path> cafile,
            Optional<String> verifyClient,
            List<String> allowlist) {
        this(
                listen,
                connectAddress,
                authentication,
                certfile,
                keyfile,
                keyfilePassword,
                cafile,
                verifyClient,
                allowlist,
                Optional.empty(),
                false,
                new TreeMap<>(),
                new TreeMap<>(),
                DEFAULT_REQUEST_QUEUE_SIZE,
                Optional.empty());
    }

    /** {@code http(s)://connect_address/patroni}, as published in the member key. */
    public String apiUrl() {
        return (certfile.isPresent() ? "https" : "http") + "://" + connectAddress + "/patroni";
    }

    @Override
    public String toString() {
        return "RestApiConfig[listen=" + listen + ", connectAddress=" + connectAddress + ", authentication="
                + authentication + ", certfile=" + certfile + ", keyfile=" + keyfile + ", keyfilePassword="
                + keyfilePassword.map(p -> "***") + ", cafile=" + cafile + ", verifyClient=" + verifyClient
                + ", allowlist=" + allowlist + ", ciphers=" + ciphers + ", allowlistIncludeMembers="
                + allowlistIncludeMembers + ", httpExtraHeaders=" + httpExtraHeaders + ", httpsExtraHeaders="
                + httpsExtraHeaders + ", requestQueueSize=" + requestQueueSize + ", serverTokens=" + serverTokens
                + "]";
    }
}
