/**
 * The etcd v3 adapter on jetcd. Nothing outside this package sees a jetcd, gRPC or Vert.x type; failures surface as
 * {@link org.bellwether.dcs.DcsException} with a message saying what was being done.
 */
package org.bellwether.dcs.etcd;
