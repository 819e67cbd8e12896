package org.bellwether.agent.sim;

import java.util.Optional;

/**
 * One stretch of WAL history: a timeline as it was really written by one server. PostgreSQL names histories by
 * timeline number only, so two servers promoted independently from the same timeline both write "timeline 2"; the
 * simulator gives each such stretch its own {@code id} so that it can tell when PostgreSQL would silently mix them
 * (Patroni issue #1251).
 *
 * @param startLsn where this stretch branched from its parent (the switch point recorded in the history file)
 * @param writer the server that writes this stretch
 */
record Incarnation(int id, String systemId, int timeline, long startLsn, String writer, Optional<Incarnation> parent) {

    static Incarnation first(int id, String systemId, long startLsn, String writer) {
        return new Incarnation(id, systemId, 1, startLsn, writer, Optional.empty());
    }

    /** The stretch a promotion at {@code lsn} starts: the next timeline number, as PostgreSQL picks it. */
    Incarnation branch(int newId, long lsn, String newWriter) {
        return new Incarnation(newId, systemId, timeline + 1, lsn, newWriter, Optional.of(this));
    }

    /**
     * A second writer on the same timeline: a server that was not this stretch's writer starts writing it without a
     * promotion (started as a primary from a replica's data directory). PostgreSQL sees one timeline; it is two.
     */
    Incarnation continueAs(int newId, long lsn, String newWriter) {
        return new Incarnation(newId, systemId, timeline, lsn, newWriter, Optional.of(this));
    }

    /** The stretch of this history that carries timeline {@code tl}, if any. */
    Optional<Incarnation> ancestorOnTimeline(int tl) {
        Optional<Incarnation> cursor = Optional.of(this);
        while (cursor.isPresent() && cursor.get().timeline > tl) {
            cursor = cursor.get().parent;
        }
        return cursor.filter(i -> i.timeline == tl);
    }

    /** Where this history left timeline {@code tl} (its switch point), or empty if {@code tl} is current or absent. */
    Optional<Long> switchPointOf(int tl) {
        Incarnation child = null;
        Optional<Incarnation> cursor = Optional.of(this);
        while (cursor.isPresent() && cursor.get().timeline > tl) {
            child = cursor.get();
            cursor = cursor.get().parent;
        }
        if (child == null || cursor.isEmpty() || cursor.get().timeline != tl) {
            return Optional.empty();
        }
        return Optional.of(child.startLsn);
    }

    boolean isAncestorOf(Incarnation other) {
        Optional<Incarnation> cursor = Optional.of(other);
        while (cursor.isPresent()) {
            if (cursor.get().id == id) {
                return true;
            }
            cursor = cursor.get().parent;
        }
        return false;
    }

    /**
     * How far the WAL of {@code this} (up to any position) is also the WAL of {@code other}: the LSN where the two
     * histories part. WAL written on {@code this} beyond that point is not in {@code other}.
     */
    long commonPrefixWith(Incarnation other) {
        if (id == other.id) {
            return Long.MAX_VALUE;
        }
        long exitThis = Long.MAX_VALUE;
        for (Optional<Incarnation> a = Optional.of(this); a.isPresent(); a = a.get().parent) {
            long exitOther = Long.MAX_VALUE;
            for (Optional<Incarnation> b = Optional.of(other); b.isPresent(); b = b.get().parent) {
                if (a.get().id == b.get().id) {
                    return Math.min(exitThis, exitOther);
                }
                exitOther = b.get().startLsn;
            }
            exitThis = a.get().startLsn;
        }
        return 0;
    }

    @Override
    public String toString() {
        return "tl" + timeline + "#" + id;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Incarnation other && other.id == id;
    }

    @Override
    public int hashCode() {
        return id;
    }
}
