/**
 * The REST API (Patroni-compatible read side: {@code /patroni}, health checks, {@code /cluster}, {@code /history},
 * {@code /config}, {@code /metrics}) served from the published {@link org.bellwether.core.status.NodeStatus} snapshot,
 * and the client that asks peers for their {@code /patroni} status during a leader race. Read handlers never touch the
 * HA loop or the DCS: every request reads one snapshot and the monotonic time it arrived.
 *
 * <p>The write side ({@link org.bellwether.agent.rest.WriteApi}: switchover, failover, restart, reload, reinitialize,
 * configuration) records intents only, in the DCS or in the loop's request queue, and wakes the loop.
 */
package org.bellwether.agent.rest;
