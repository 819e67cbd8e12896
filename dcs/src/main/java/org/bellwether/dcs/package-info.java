/**
 * The DCS port ({@link org.bellwether.dcs.Dcs}) with its contracts, Patroni's key layout ({@link
 * org.bellwether.dcs.PatroniKeys}) and value formats ({@link org.bellwether.dcs.PatroniCodec}), the assembly of a read
 * into a cluster view shared by all adapters, and the factory that picks an adapter. Adapters live in sub-packages
 * and keep their client libraries to themselves.
 */
package org.bellwether.dcs;
