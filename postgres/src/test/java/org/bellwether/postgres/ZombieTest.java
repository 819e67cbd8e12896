package org.bellwether.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ZombieTest {
    @Test
    void exitedButUnreapedProcess_isAZombie_aRunningOneIsNot() throws Exception {
        // sh starts a short child, then becomes 'sleep 30', which never reaps it: the child stays a zombie.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & exec sleep 30").start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<ProcessHandle> children = List.of();
            while (System.nanoTime() < deadline) {
                children = parent.toHandle().children().toList();
                if (!children.isEmpty()
                        && DataDirectory.isZombie(children.get(0).pid())) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(children).hasSize(1);
            assertThat(children.get(0).isAlive())
                    .as("what ProcessHandle says of a zombie")
                    .isTrue();
            assertThat(DataDirectory.isZombie(children.get(0).pid())).isTrue();
            assertThat(DataDirectory.isZombie(parent.pid())).isFalse();
        } finally {
            parent.destroyForcibly().waitFor();
        }
    }
}
