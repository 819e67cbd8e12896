/**
 * What a node shows the outside world: the immutable {@link org.bellwether.core.status.NodeStatus} snapshot the agent
 * publishes after each cycle, and the pure answers derived from it (Patroni's health checks, the role and sync
 * membership a node reports). No I/O and no clock: the moment of a request enters as a value.
 */
package org.bellwether.core.status;
