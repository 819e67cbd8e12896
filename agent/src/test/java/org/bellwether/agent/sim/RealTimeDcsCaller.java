package org.bellwether.agent.sim;

import java.util.Optional;

/** A DCS caller that is a plain thread: it waits for its request and its answer by sleeping in real time. */
record RealTimeDcsCaller(String name, RealTimeDcsTimeline timeline) implements DcsCaller {
    @Override
    public void acting() {}

    @Override
    public void catchUp() {}

    @Override
    public long now() {
        return timeline.now();
    }

    @Override
    public void awaitArrival(long t) {
        timeline.sleepUntil(t);
    }

    @Override
    public void spendUntil(long t) {
        timeline.sleepUntil(t);
    }

    /** No PostgreSQL behind it: the lag checker that reads this is not running. */
    @Override
    public Optional<Incarnation> walHistory() {
        return Optional.empty();
    }
}
