/**
 * The local PostgreSQL: the only place in Bellwether that spawns processes ({@link
 * org.bellwether.postgres.ProcessRunner}). It runs initdb, pg_ctl, pg_basebackup and pg_controldata, renders the
 * configuration files in Patroni's layout, and observes the server over one kept JDBC connection. It carries out what
 * the agent asks and never decides between promoting, rewinding or re-cloning, and never touches the DCS.
 *
 * <p>Replication slots follow the same split: the core decides which slots to create, drop and advance; here they are
 * read each cycle ({@link org.bellwether.postgres.SlotQuery}), changed ({@link
 * org.bellwether.postgres.ReplicationSlots}), advanced on a replica off the loop ({@link
 * org.bellwether.postgres.SlotAdvancer}) and copied from the primary ({@link org.bellwether.postgres.LogicalSlotCopy}).
 *
 * <p>Pure parts (configuration rendering, {@code pg_controldata} parsing, connection strings, observation assembly)
 * are separate from the parts that touch files and processes, so they are unit-tested without PostgreSQL.
 */
package org.bellwether.postgres;
