package org.bellwether.agent.rest;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.bellwether.config.Credentials;

/**
 * Who may call unsafe methods (POST, PUT, PATCH, DELETE), checked in Patroni's order before any routing so that a
 * refused caller learns nothing about which endpoints exist: first the caller's address (403), then HTTP basic
 * authentication against {@code restapi.authentication} (401 with a challenge).
 *
 * <p>The address passes when it is in {@code restapi.allowlist} or, with {@code restapi.allowlist_include_members},
 * is a member's. As in Patroni, either setting alone restricts callers: with only {@code allowlist_include_members},
 * only members may call.
 */
final class AccessPolicy {
    private final Optional<byte[]> expectedCredentials;
    private final List<Network> allowlist;
    /** {@code restapi.allowlist_include_members}: whether an address is a member's; empty when not set. */
    private final Optional<Predicate<InetAddress>> members;

    AccessPolicy(Optional<Credentials> authentication, List<String> allowlist) {
        this(authentication, allowlist, Optional.empty());
    }

    AccessPolicy(
            Optional<Credentials> authentication,
            List<String> allowlist,
            Optional<? extends Predicate<InetAddress>> members) {
        this.expectedCredentials = authentication.map(
                c -> (c.username() + ":" + c.password().orElse("")).getBytes(StandardCharsets.UTF_8));
        List<Network> networks = new ArrayList<>();
        for (String entry : allowlist) {
            networks.addAll(Network.parse(entry));
        }
        this.allowlist = List.copyOf(networks);
        this.members = members.map(m -> m::test);
    }

    /** Empty when the caller may proceed, otherwise the refusal to send. */
    Optional<Response> check(InetAddress client, Optional<String> authorization) {
        return check(client, authorization, true);
    }

    /**
     * @param membersCount false where Patroni leaves the members out ({@code POST /failsafe}): there only the
     *     allowlist restricts the caller
     */
    Optional<Response> check(InetAddress client, Optional<String> authorization, boolean membersCount) {
        Optional<Predicate<InetAddress>> memberCheck = membersCount ? members : Optional.empty();
        if ((!allowlist.isEmpty() || memberCheck.isPresent())
                && allowlist.stream().noneMatch(n -> n.contains(client))
                && !memberCheck.map(m -> m.test(client)).orElse(false)) {
            return Optional.of(Response.error(403, "access is denied"));
        }
        if (expectedCredentials.isEmpty()) {
            return Optional.empty();
        }
        if (authorization.isEmpty()) {
            return Optional.of(challenge("no auth header received"));
        }
        if (!matches(authorization.get())) {
            return Optional.of(challenge("not authenticated"));
        }
        return Optional.empty();
    }

    private boolean matches(String header) {
        if (!header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(header.substring(6).trim());
        } catch (IllegalArgumentException e) {
            return false;
        }
        // Constant-time comparison: response timing must not reveal how much of a guessed password was right.
        return MessageDigest.isEqual(given, expectedCredentials.orElseThrow());
    }

    private static Response challenge(String message) {
        return Response.error(401, message).withHeader("WWW-Authenticate", "Basic realm=\"Bellwether\"");
    }

    /** An address block from the allowlist: an IP, a CIDR, or every address a host name resolved to at start. */
    private record Network(byte[] address, int prefixBits) {
        static List<Network> parse(String entry) {
            String text = entry.trim();
            int slash = text.indexOf('/');
            try {
                if (slash >= 0) {
                    byte[] address =
                            InetAddress.getByName(text.substring(0, slash)).getAddress();
                    int bits = Integer.parseInt(text.substring(slash + 1));
                    if (bits < 0 || bits > address.length * 8) {
                        throw new IllegalArgumentException("restapi.allowlist: bad prefix length in '" + entry + "'");
                    }
                    return List.of(new Network(address, bits));
                }
                List<Network> all = new ArrayList<>();
                for (InetAddress a : InetAddress.getAllByName(text)) {
                    all.add(new Network(a.getAddress(), a.getAddress().length * 8));
                }
                return all;
            } catch (UnknownHostException | NumberFormatException e) {
                throw new IllegalArgumentException("restapi.allowlist: cannot read '" + entry + "': " + e, e);
            }
        }

        boolean contains(InetAddress client) {
            byte[] candidate = client.getAddress();
            if (candidate.length != address.length) {
                return false;
            }
            int full = prefixBits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != address[i]) {
                    return false;
                }
            }
            int rest = prefixBits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xFF << (8 - rest) & 0xFF;
            return (candidate[full] & mask) == (address[full] & mask);
        }
    }
}
