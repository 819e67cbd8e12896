/**
 * The ZooKeeper adapter on Apache Curator's framework (not its recipes): one session per node, ephemeral znodes for
 * the leader lock and the member key, compare-and-set on znode versions, and one persistent recursive watch. Nothing
 * outside this package sees a Curator or ZooKeeper type; failures surface as {@link org.bellwether.dcs.DcsException}
 * with a message saying what was being done.
 */
package org.bellwether.dcs.zookeeper;
