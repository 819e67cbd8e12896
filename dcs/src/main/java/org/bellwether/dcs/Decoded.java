package org.bellwether.dcs;

import java.util.List;
import java.util.Optional;

/**
 * What a decoder made of one stored value: the value, or nothing when nothing usable was left, and every problem it
 * found on the way (a field it ignored, a value it replaced). Decoders that return this never throw.
 */
public record Decoded<T>(Optional<T> value, List<String> problems) {
    public Decoded {
        problems = List.copyOf(problems);
    }

    static <T> Decoded<T> of(T value, List<String> problems) {
        return new Decoded<>(Optional.of(value), problems);
    }

    static <T> Decoded<T> unreadable(String problem) {
        return new Decoded<>(Optional.empty(), List.of(problem));
    }

    /** The value, or {@link IllegalArgumentException} naming the problems when there is none. */
    public T orElseThrow() {
        return value.orElseThrow(() -> new IllegalArgumentException(String.join("; ", problems)));
    }
}
