/**
 * A deterministic simulator for the HA loop: the real {@link org.bellwether.agent.AgentLoop} and decision core run
 * against a simulated DCS, simulated PostgreSQL servers, a simulated network and a client workload, all on one thread
 * and in simulated time, with faults derived from a seed. Invariant checkers run after every event. A failing seed
 * replays exactly: {@code ./mvnw -pl agent test -Dtest=SimulationTest -Dsim.seed=N}.
 *
 * <p>Rules that keep runs reproducible: no real time, threads, sockets or files; one seeded {@code SplittableRandom}
 * from which every component draws its own seed in a fixed order; no iteration over hash-ordered collections.
 */
package org.bellwether.agent.sim;
