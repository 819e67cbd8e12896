/**
 * libpq's TLS keywords ({@code sslmode}, {@code sslcert}, {@code sslkey}, {@code sslpassword}, {@code sslrootcert},
 * {@code sslcrl}, {@code sslcrldir}) for the agent's own JDBC connections. The PostgreSQL driver reads keys only as
 * DER or PKCS#12 and does not check revocation lists; the files Patroni's configuration names are libpq's PEM files.
 * So the driver is given a socket factory of ours ({@link org.bellwether.postgres.tls.PemSocketFactory}) that reads
 * the same files libpq reads, each time a connection is opened (as libpq does, so renewed certificates take effect
 * without a restart), and says in one sentence, naming the setting, what is wrong when it cannot.
 */
package org.bellwether.postgres.tls;
