package org.bellwether.agent.sim;

import java.util.TreeSet;

/**
 * Links between nodes (replication and the peers' REST calls). Cuts are symmetric and named by the sorted pair, kept
 * in a sorted set so that printing and healing happen in the same order on every run. Clients always reach every node:
 * the checkers count a writable primary whether or not HAProxy would route to it.
 */
final class SimNetwork {
    private final TreeSet<String> cuts = new TreeSet<>();

    private static String pair(String a, String b) {
        return a.compareTo(b) < 0 ? a + "|" + b : b + "|" + a;
    }

    boolean connected(String a, String b) {
        return a.equals(b) || !cuts.contains(pair(a, b));
    }

    void cut(String a, String b) {
        if (!a.equals(b)) {
            cuts.add(pair(a, b));
        }
    }

    void heal(String a, String b) {
        cuts.remove(pair(a, b));
    }

    void healAll() {
        cuts.clear();
    }

    boolean isClean() {
        return cuts.isEmpty();
    }

    @Override
    public String toString() {
        return cuts.isEmpty() ? "no cuts" : "cut " + String.join(",", cuts);
    }
}
