/**
 * Replication slots as the cluster wants them: the permanent slots and {@code ignore_slots} of the dynamic
 * configuration ({@link SlotSettings}), the slots PostgreSQL has ({@link ExistingSlot}), and the pure comparison of
 * the two ({@link SlotReconcile}) that says what to create, advance, drop, copy from the primary or only report. No
 * I/O: the postgres adapter reads the slots and carries out the changes.
 */
package org.bellwether.core.slots;
