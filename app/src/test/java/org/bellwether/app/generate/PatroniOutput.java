package org.bellwether.app.generate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * What Patroni 4.1.0's generator wrote for the same input (its own code run with the test's host, version and
 * instance facts), and the differences Bellwether's documents have on purpose.
 */
final class PatroniOutput {
    private PatroniOutput() {}

    static String read(String name) throws IOException {
        try (InputStream in = PatroniOutput.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Patroni's document as Bellwether writes it: a DCS to fix after {@code restapi} (Patroni names none unless the
     * environment does), Bellwether's tool in the {@code edit-config} advice, no {@code log.max_queue_size} (which
     * Bellwether does not apply), and a final line break.
     */
    static String asBellwether(String patroni) {
        String withDcs = patroni.replaceFirst(
                "(?m)^(restapi:\n(?:  .*\n)+)",
                "$1\n# FIXME: the DCS. Name every etcd server here (etcd v3), or use a zookeeper: section instead.\n"
                        + "etcd3:\n  hosts: 127.0.0.1:2379\n");
        return withDcs.replace("please use `patronictl edit-config`!", "please use `bellwether ctl edit-config`!")
                        .replace("  max_queue_size: 1000\n", "")
                + "\n";
    }
}
