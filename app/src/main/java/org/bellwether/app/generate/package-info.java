/**
 * {@code bellwether --generate-sample-config} and {@code --generate-config}: Patroni's {@code config_generator}. A
 * sample node configuration with Patroni's defaults, or one read from a running PostgreSQL instance's settings and
 * files, written as Patroni writes it (its section order and comments). The trees are built by pure steps
 * ({@link org.bellwether.app.generate.ConfigTemplate}, {@link org.bellwether.app.generate.SampleConfig},
 * {@link org.bellwether.app.generate.InstanceConfig}) that tests drive with given facts; what touches the machine
 * (host name, the server program, JDBC, files, the postmaster's process) is kept apart.
 */
package org.bellwether.app.generate;
