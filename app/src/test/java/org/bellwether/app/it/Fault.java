package org.bellwether.app.it;

/** The faults the fault tests inject and the failover benchmark times, with what a user expects of each. */
enum Fault {
    NODE_CRASH("primary node crash (agent + PostgreSQL SIGKILL), restart", true, true),
    POSTGRES_CRASH("primary PostgreSQL SIGKILL, agent alive", false, false),
    AGENT_FREEZE("primary agent SIGSTOP, SIGCONT after failover", true, true),
    DCS_PARTITION("primary cut off from etcd, reaches replicas", true, true),
    FULL_PARTITION("primary cut off from etcd and replicas, clients reach it", true, true),
    ETCD_MEMBER_LOSS("loss of one etcd member (not the raft leader)", false, false),
    ETCD_LEADER_LOSS("loss of the etcd raft leader", false, false),
    REPLICA_CRASH("replica node crash, restart", false, true),
    AGENT_KILL("primary agent SIGKILL, PostgreSQL left running, restart", true, true),
    DCS_DOWN(
            "the whole DCS down for longer than ttl (every etcd member killed, or ZooKeeper stopped), then back",
            false,
            false),
    SWITCHOVER("planned switchover (to a synchronous standby in the synchronous modes)", true, true);

    final String description;
    /** Another node must end up leading. */
    final boolean changesLeader;
    /** A node went away and must come back streaming: the old primary, or the crashed replica. */
    final boolean rejoins;

    Fault(String description, boolean changesLeader, boolean rejoins) {
        this.description = description;
        this.changesLeader = changesLeader;
        this.rejoins = rejoins;
    }
}
