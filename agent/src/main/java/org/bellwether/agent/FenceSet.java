package org.bellwether.agent;

import java.time.Duration;
import java.util.List;

/** Several fences fed as one: the guard process and the watchdog. */
public final class FenceSet implements WriteFence {
    private final List<WriteFence> fences;

    public FenceSet(List<WriteFence> fences) {
        this.fences = List.copyOf(fences);
    }

    @Override
    public void holdUntil(Duration deadline) {
        fences.forEach(f -> f.holdUntil(deadline));
    }

    @Override
    public void release() {
        fences.forEach(WriteFence::release);
    }

    @Override
    public boolean failed() {
        return fences.stream().anyMatch(WriteFence::failed);
    }

    @Override
    public void close() {
        fences.forEach(WriteFence::close);
    }
}
