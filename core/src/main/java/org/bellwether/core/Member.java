package org.bellwether.core;

import java.util.Collections;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One member's key ({@code members/<name>}): what the node last published about itself. Fields the core interprets are
 * typed; the rest ({@code pending_restart_reason}, {@code scheduled_restart}, {@code proxy_url}, ...) ride along in
 * {@code extra} so a round trip through the codec keeps them.
 */
public record Member(
        String name,
        Optional<String> apiUrl,
        Optional<String> connUrl,
        String state,
        MemberRole role,
        Optional<String> version,
        Optional<Lsn> xlogLocation,
        Optional<Lsn> receiveLsn,
        Optional<Lsn> replayLsn,
        Optional<String> replicationState,
        Optional<Timeline> timeline,
        Tags tags,
        boolean pendingRestart,
        boolean paused,
        Optional<Boolean> checkpointAfterPromote,
        SortedMap<String, Object> extra) {

    public Member {
        extra = Collections.unmodifiableSortedMap(new TreeMap<>(extra));
    }

    /**
     * Whether a node may be called {@code name}: not empty, no {@code /} (it is a path segment of its member key), no
     * white space around it and no control characters. The DCS adapters refuse any other name, so a {@code leader}
     * value that fails this is held by no node and can never be renewed.
     */
    public static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || name.contains("/") || !name.equals(name.strip())) {
            return false;
        }
        return name.codePoints().noneMatch(Character::isISOControl);
    }

    /** A minimal member, as a node publishes itself before PostgreSQL is known. */
    public static Member of(String name, String apiUrl, String connUrl, String state, MemberRole role) {
        return new Member(
                name,
                Optional.of(apiUrl),
                Optional.of(connUrl),
                state,
                role,
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                Tags.NONE,
                false,
                false,
                Optional.empty(),
                new TreeMap<>());
    }

    /** This member key with other tags. */
    public Member withTags(Tags other) {
        return new Member(
                name,
                apiUrl,
                connUrl,
                state,
                role,
                version,
                xlogLocation,
                receiveLsn,
                replayLsn,
                replicationState,
                timeline,
                other,
                pendingRestart,
                paused,
                checkpointAfterPromote,
                extra);
    }

    /** The WAL position a leader race compares: the written LSN on a primary, else max(received, replayed). */
    public Optional<Lsn> walPosition() {
        if (xlogLocation.isPresent()) {
            return xlogLocation;
        }
        if (receiveLsn.isEmpty()) {
            return replayLsn;
        }
        return replayLsn.map(r -> Lsn.max(r, receiveLsn.get())).or(() -> receiveLsn);
    }

    /** {@code host:port} parsed from {@code conn_url} ({@code postgres://host:port/postgres}). */
    public Optional<HostPort> postgresAddress() {
        return connUrl.flatMap(HostPort::fromUrl);
    }
}
