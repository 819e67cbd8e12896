package org.bellwether.app;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.bellwether.config.LogFormat.JsonField;
import org.bellwether.config.LogRecordField;

/**
 * {@code log.type: json}: one JSON object per line, as Patroni's python-json-logger formatter writes it: the format's
 * fields in order under their (possibly renamed) keys, then {@code static_fields}, then {@code exc_info} with the
 * stack trace when the event carries one.
 */
final class JsonLogLayout extends LayoutBase<ILoggingEvent> {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<JsonField> fields;
    private final Map<String, Object> staticFields;
    private final DateTimeFormatter asctime;
    private final String excInfoKey;

    JsonLogLayout(List<JsonField> fields, Map<String, Object> staticFields, DateTimeFormatter asctime) {
        this.fields = List.copyOf(fields);
        this.staticFields = new LinkedHashMap<>(staticFields);
        this.asctime = asctime;
        this.excInfoKey = fields.stream()
                .filter(f -> f.field() == LogRecordField.EXC_INFO)
                .map(JsonField::key)
                .findFirst()
                .orElse(LogRecordField.EXC_INFO.pythonName());
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        Map<String, Object> line = new LinkedHashMap<>();
        for (JsonField field : fields) {
            line.put(field.key(), PythonRecord.value(field.field(), event, asctime));
        }
        line.putAll(staticFields);
        if (event.getThrowableProxy() != null) {
            line.put(excInfoKey, PythonRecord.value(LogRecordField.EXC_INFO, event, asctime));
        }
        try {
            return JSON.writeValueAsString(line) + "\n";
        } catch (JsonProcessingException e) {
            // Cannot happen with the values above (text, numbers and YAML scalars); keep the message if it does.
            String message = String.valueOf(event.getFormattedMessage());
            return "{\"message\": \""
                    + new String(JsonStringEncoder.getInstance().quoteAsString(message)) + "\"}\n";
        }
    }
}
