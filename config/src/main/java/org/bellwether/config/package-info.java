/**
 * Reads a node's configuration from Patroni-style YAML (a file, or a directory of files merged in name order) and
 * {@code PATRONI_*} environment variables, into the immutable {@link org.bellwether.config.NodeConfig} records.
 *
 * <p>Entry points: {@link org.bellwether.config.ConfigLoader} (load, with warnings as data, or a
 * {@link org.bellwether.config.ConfigException} that names source, key path and fault) and
 * {@link org.bellwether.config.ConfigReport} (what {@code bellwether validate} prints). The mapping is hand-written,
 * one {@code *Section} class per part of the file, so every error message is ours; Jackson is used only to tokenise
 * YAML. The rules of the dynamic configuration ({@code bootstrap.dcs}) live in the core's
 * {@link org.bellwether.core.ConfigRules}, shared with whoever writes the {@code config} key later.
 *
 * <p>TLS settings are read as OpenSSL (and so Patroni) reads them: {@link org.bellwether.config.PemFiles} for
 * certificates and keys in OpenSSL's formats, encrypted or not, and {@link org.bellwether.config.OpenSslCipherString}
 * for {@code restapi.ciphers}; both without a TLS library beyond the JDK's, so that {@code validate} checks them.
 *
 * <p>What becomes of each Patroni setting (applied, refused, or accepted but not applied, and why) is said in one
 * place, {@link org.bellwether.config.SettingsTable}, which {@link org.bellwether.config.SettingsAudit} consults for
 * every key present.
 */
package org.bellwether.config;
