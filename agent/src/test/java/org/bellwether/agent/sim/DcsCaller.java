package org.bellwether.agent.sim;

import java.util.Optional;

/**
 * The process on the other end of a {@link SimDcs} session, as the session sees it: its name, its clock, and how it
 * waits for a request to arrive and for its answer. A simulated agent spends simulated time; the DCS contract test's
 * caller sleeps in real time.
 */
interface DcsCaller {
    String name();

    /** A call other than a read is about to be made: the agent's cycle has decided and acts. */
    void acting();

    /** The world catches up with the caller's clock before (and after) a call. */
    void catchUp();

    /** The caller's current instant, on the server's timeline. */
    long now();

    /** Waits until the request reaches the server, whatever happens to the caller meanwhile. */
    void awaitArrival(long t);

    /** The caller's clock moves on to {@code t}, when the answer (or the deadline) comes. */
    void spendUntil(long t);

    /** The WAL history of the caller's PostgreSQL, which the simulation's lag checker keeps with {@code status}. */
    Optional<Incarnation> walHistory();
}
