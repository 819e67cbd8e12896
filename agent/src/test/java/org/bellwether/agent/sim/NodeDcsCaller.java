package org.bellwether.agent.sim;

import java.util.Optional;

/** A simulated agent as a DCS caller: its calls spend the node's simulated time. */
record NodeDcsCaller(SimNode node) implements DcsCaller {
    @Override
    public String name() {
        return node.name();
    }

    @Override
    public void acting() {
        node.actingNow();
    }

    @Override
    public void catchUp() {
        node.sync();
    }

    @Override
    public long now() {
        return node.localNow();
    }

    @Override
    public void awaitArrival(long t) {
        node.waitForWorld(t);
    }

    @Override
    public void spendUntil(long t) {
        node.spendUntil(t);
    }

    @Override
    public Optional<Incarnation> walHistory() {
        return node.postgres().history();
    }
}
