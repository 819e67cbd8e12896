/**
 * The REST API (Patroni-compatible read side: {@code /patroni}, health checks, {@code /cluster}, {@code /history},
 * {@code /config}, {@code /metrics}) served from the published {@link org.bellwether.core.status.NodeStatus} snapshot,
 * and the client that asks peers for their {@code /patroni} status during a leader race. Read handlers never touch the
 * HA loop or the DCS: every request reads one snapshot and the monotonic time it arrived.
 *
 * <p>The write side ({@link org.bellwether.agent.rest.WriteApi}: switchover, failover, restart, reload, reinitialize,
 * configuration) records intents only, in the DCS or in the loop's request queue, and wakes the loop.
 *
 * <p>The server ({@link org.bellwether.agent.rest.RestApiServer}) is Netty, built so that no client can keep the
 * health checks from being answered: one event loop thread accepts and two do all socket I/O, so a slow or idle client
 * holds a socket, never a thread. Each connection's pipeline ({@link org.bellwether.agent.rest.RestPipeline}) has
 * deadlines (a request whole within 5 s of its first byte, an idle connection closed after 60 s), TLS when
 * configured, HTTP/1.1 decoding with an 8 KiB request line and 16 KiB of headers, the access check and body limits
 * before any body is read (1 MiB for writes, 8 KiB otherwise), and one request at a time. Handlers run on bounded
 * pools, reads apart from writes, so a slow write never delays a health check; a full queue answers 503. At most 1000
 * connections are open. See {@link org.bellwether.agent.rest.ServerLimits}.
 *
 * <p>Unsafe methods pass {@link org.bellwether.agent.rest.AccessPolicy}: the caller's address against the allowlist
 * and, with {@code allowlist_include_members}, the members' addresses ({@link
 * org.bellwether.agent.rest.MemberAddresses}, resolved on a thread of their own so that DNS never holds up the event
 * loop), then basic authentication. Every answer carries {@link org.bellwether.agent.rest.ResponseHeaders}: the
 * {@code Server} header and the configured extra headers.
 */
package org.bellwether.agent.rest;
