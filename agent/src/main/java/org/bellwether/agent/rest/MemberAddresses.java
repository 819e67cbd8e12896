package org.bellwether.agent.rest;

import io.netty.util.NetUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.bellwether.core.ClusterView;
import org.bellwether.core.Member;
import org.bellwether.core.status.NodeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code restapi.allowlist_include_members}: the addresses of the members registered in the DCS, which may then call
 * unsafe endpoints. As in Patroni, a member's address is the host of its {@code api_url}, resolved; the members are
 * those of the last DCS read the agent published ({@link NodeStatus#cluster()}), so no request waits on the DCS.
 *
 * <p>An IP address counts at once. Host names are resolved on a thread of their own, never on the event loop (a DNS
 * server that does not answer must not stall the health checks): every {@link #REFRESH}, and at once when a request
 * meets a name not resolved yet, which is then refused, as a name that cannot be resolved is (Patroni logs it and
 * leaves the member out).
 */
final class MemberAddresses implements Predicate<InetAddress>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MemberAddresses.class);
    /** Shorter than the JDK's 30 s cache of lookups, so a changed DNS entry counts within about that time. */
    static final Duration REFRESH = Duration.ofSeconds(5);

    /** Host name to addresses: {@link InetAddress#getAllByName} but for tests. */
    interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    private final Supplier<NodeStatus> status;
    private final Resolver resolver;
    private final Duration refresh;
    private final ScheduledExecutorService thread;
    /** Each member host name with its addresses; an empty list for one whose lookup failed. */
    private final ConcurrentMap<String, List<InetAddress>> resolved = new ConcurrentHashMap<>();

    private final AtomicBoolean refreshQueued = new AtomicBoolean();

    MemberAddresses(Supplier<NodeStatus> status) {
        this(status, host -> List.of(InetAddress.getAllByName(host)), REFRESH);
    }

    MemberAddresses(Supplier<NodeStatus> status, Resolver resolver, Duration refresh) {
        this.status = status;
        this.resolver = resolver;
        this.refresh = refresh;
        // Its thread starts with the first task: a server that fails to start leaves nothing running.
        this.thread =
                Executors.newSingleThreadScheduledExecutor(new DefaultThreadFactory("rest-api-member-addresses", true));
    }

    /** Resolves the members' host names now and every {@code refresh} from now on. */
    void start() {
        thread.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Whether {@code client} is a member's address, as far as known now; never waits. */
    @Override
    public boolean test(InetAddress client) {
        boolean unresolved = false;
        for (String host : hosts()) {
            Optional<InetAddress> literal = literal(host);
            if (literal.isPresent()) {
                if (literal.get().equals(client)) {
                    return true;
                }
                continue;
            }
            List<InetAddress> addresses = resolved.get(host);
            if (addresses == null) {
                unresolved = true;
            } else if (addresses.contains(client)) {
                return true;
            }
        }
        if (unresolved) {
            refreshSoon();
        }
        return false;
    }

    private void refreshSoon() {
        if (refreshQueued.compareAndSet(false, true)) {
            try {
                thread.execute(() -> {
                    refreshQueued.set(false);
                    refresh();
                });
            } catch (RejectedExecutionException e) {
                // closed: the server is stopping
            }
        }
    }

    /** Looks up every member host name anew (the JDK's cache answers most), forgetting members that left. */
    private void refresh() {
        try {
            Set<String> names = new TreeSet<>();
            for (String host : hosts()) {
                if (literal(host).isEmpty()) {
                    names.add(host);
                }
            }
            resolved.keySet().retainAll(names);
            for (String name : names) {
                resolved.put(name, resolve(name));
            }
        } catch (RuntimeException e) {
            LOG.warn("REST API: cannot refresh the addresses of the members", e);
        }
    }

    private List<InetAddress> resolve(String name) {
        try {
            return List.copyOf(resolver.resolve(name));
        } catch (UnknownHostException e) {
            List<InetAddress> before = resolved.get(name);
            if (before == null || !before.isEmpty()) {
                LOG.warn(
                        "REST API: cannot resolve member host {}; it may not call unsafe endpoints: {}",
                        name,
                        e.toString());
            }
            return List.of();
        }
    }

    /** The hosts of the members' {@code api_url}, as last read from the DCS. */
    private Set<String> hosts() {
        NodeStatus snapshot = status.get();
        Set<String> hosts = new TreeSet<>();
        if (snapshot == null) {
            return hosts;
        }
        for (Member member : snapshot.cluster().map(ClusterView::members).orElse(List.of())) {
            member.apiUrl().flatMap(MemberAddresses::host).ifPresent(hosts::add);
        }
        return hosts;
    }

    private static Optional<String> host(String url) {
        try {
            String host = URI.create(url.trim()).getHost();
            if (host == null || host.isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // Patroni skips a member whose api_url it cannot parse, too
        }
    }

    private static Optional<InetAddress> literal(String host) {
        return Optional.ofNullable(NetUtil.createInetAddressFromIpAddressString(host));
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
