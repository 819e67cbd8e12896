package org.bellwether.app.it;

/** The lost-write schedule with `synchronous_mode: on`: no acknowledged write may be lost. */
class SyncLostWriteIT extends LostWriteSchedule {
    @Override
    ReplicationMode mode() {
        return ReplicationMode.SYNC;
    }
}
