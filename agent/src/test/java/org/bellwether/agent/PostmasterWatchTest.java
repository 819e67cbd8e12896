package org.bellwether.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PostmasterWatchTest {
    @Test
    void wakesOnceWhenTheWatchedProcessExits_andPicksUpTheNextOne() throws Exception {
        Process first = new ProcessBuilder("sleep", "60").start();
        AtomicReference<Optional<ProcessHandle>> running = new AtomicReference<>(Optional.of(first.toHandle()));
        AtomicInteger wakes = new AtomicInteger();
        PostmasterWatch watch = new PostmasterWatch(running::get, wakes::incrementAndGet);
        try {
            watch.check();
            watch.check();
            assertThat(wakes).hasValue(0);

            first.destroyForcibly().waitFor();
            running.set(Optional.empty());
            watch.check();
            watch.check();
            assertThat(wakes).as("wake-ups after the postmaster died").hasValue(1);

            Process second = new ProcessBuilder("sleep", "60").start();
            try {
                running.set(Optional.of(second.toHandle()));
                watch.check();
                second.destroyForcibly().waitFor();
                watch.check();
                assertThat(wakes).hasValue(2);
            } finally {
                second.destroyForcibly();
            }
        } finally {
            first.destroyForcibly();
            watch.close();
        }
    }
}
