package org.bellwether.core;

/** A PostgreSQL timeline id: 1 after initdb, one more after every promotion. */
public record Timeline(int value) implements Comparable<Timeline> {
    public static final Timeline FIRST = new Timeline(1);

    public Timeline {
        if (value < 1) {
            throw new IllegalArgumentException("timeline must be at least 1: " + value);
        }
    }

    public boolean isBefore(Timeline other) {
        return value < other.value;
    }

    public Timeline next() {
        return new Timeline(value + 1);
    }

    @Override
    public int compareTo(Timeline other) {
        return Integer.compare(value, other.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
