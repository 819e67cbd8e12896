package org.bellwether.core;

/**
 * A stored value that could not be used as it is: the key (its full path), its version in the store, and what was
 * wrong and what was made of it instead. Reads report these as data; whoever reads in a loop logs each one once per
 * change of the key.
 */
public record KeyProblem(String key, long version, String problem) {}
