package org.bellwether.app.it;

/** The lost-write schedule with `synchronous_mode: quorum`: no acknowledged write may be lost. */
class QuorumLostWriteIT extends LostWriteSchedule {
    @Override
    ReplicationMode mode() {
        return ReplicationMode.QUORUM;
    }
}
