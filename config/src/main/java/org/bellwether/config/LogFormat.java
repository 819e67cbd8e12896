package org.bellwether.config;

import java.util.List;
import java.util.OptionalInt;

/**
 * {@code log.type} with {@code log.format}, in the two shapes Patroni gives them: a plain format is Python's %-style
 * string cut into text and fields ({@code %(asctime)s %(levelname)s: %(message)s}); a JSON format is the fields each
 * line holds and the key each is written under.
 */
public sealed interface LogFormat permits LogFormat.Plain, LogFormat.Json {
    /** Patroni's {@code PatroniLogger.DEFAULT_FORMAT}. */
    String PATRONI_DEFAULT = "%(asctime)s %(levelname)s: %(message)s";

    /** Patroni's default: a plain line of time, level and message. */
    Plain DEFAULT = new Plain(PythonLogFormat.plain(PATRONI_DEFAULT));

    /** {@code type: plain}: one line of text per event. */
    record Plain(List<Part> parts) implements LogFormat {
        public Plain {
            parts = List.copyOf(parts);
        }
    }

    /** {@code type: json}: one JSON object per event. */
    record Json(List<JsonField> fields) implements LogFormat {
        public Json {
            fields = List.copyOf(fields);
        }
    }

    /** A piece of a plain format. */
    sealed interface Part permits Text, Field {}

    /** Text written as it is. */
    record Text(String text) implements Part {}

    /**
     * One {@code %(name)spec} of a plain format.
     *
     * @param flags Python's conversion flags, any of {@code #0- +}
     * @param conversion Python's conversion character: {@code s}, {@code d}, {@code f}...
     */
    record Field(LogRecordField field, String flags, OptionalInt width, OptionalInt precision, char conversion)
            implements Part {
        /** A field written with a bare {@code s}, as in {@code %(message)s}. */
        public static Field of(LogRecordField field) {
            return new Field(field, "", OptionalInt.empty(), OptionalInt.empty(), 's');
        }

        /** The spec as Python writes it after the name: {@code -8s}, {@code 03d}. */
        public String spec() {
            return flags
                    + (width.isPresent() ? Integer.toString(width.getAsInt()) : "")
                    + (precision.isPresent() ? "." + precision.getAsInt() : "")
                    + conversion;
        }
    }

    /** A field of a JSON line and its key: the attribute's own name unless the format renames it. */
    record JsonField(LogRecordField field, String key) {}
}
