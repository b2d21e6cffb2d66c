package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.schema.avro.ControlRecord;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pins every released schema (src/test/resources/schemas/released/v*): the current schemas must
 * read data written with each release and each release must read data written now, and every field
 * a release lacks must have a default.
 */
class SchemaCompatibilityTest {

    private static final Map<String, Schema> CURRENT =
            Map.of(
                    "event.avsc", Event.getClassSchema(),
                    "control.avsc", ControlRecord.getClassSchema());

    static Stream<Arguments> releasedSchemas() throws IOException, URISyntaxException {
        Path released =
                Path.of(SchemaCompatibilityTest.class.getResource("/schemas/released").toURI());
        List<Arguments> arguments = new ArrayList<>();
        try (Stream<Path> versions = Files.list(released)) {
            for (Path version : versions.sorted().toList()) {
                for (String file : CURRENT.keySet()) {
                    Schema schema = new Schema.Parser().parse(version.resolve(file).toFile());
                    arguments.add(
                            Arguments.of(
                                    version.getFileName() + "/" + file, schema, CURRENT.get(file)));
                }
            }
        }
        assertThat(arguments).as("released schema versions").isNotEmpty();
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void currentReadsReleasedData(String name, Schema released, Schema current) {
        assertCompatible(current, released);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void releasedReadsCurrentData(String name, Schema released, Schema current) {
        assertCompatible(released, current);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void fieldsAddedSinceTheReleaseHaveDefaults(String name, Schema released, Schema current) {
        Map<String, Schema> releasedRecords = new HashMap<>();
        collectRecords(released, releasedRecords);
        Map<String, Schema> currentRecords = new HashMap<>();
        collectRecords(current, currentRecords);

        List<String> withoutDefault = new ArrayList<>();
        currentRecords.forEach(
                (recordName, record) -> {
                    Schema before = releasedRecords.get(recordName);
                    if (before == null) {
                        return;
                    }
                    for (Schema.Field field : record.getFields()) {
                        if (before.getField(field.name()) == null && !field.hasDefaultValue()) {
                            withoutDefault.add(recordName + "." + field.name());
                        }
                    }
                });

        assertThat(withoutDefault).as("fields added without a default").isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("releasedSchemas")
    void eventCodecDecodesEventsWrittenWithEveryRelease(
            String name, Schema released, Schema current) throws Exception {
        if (!name.endsWith("event.avsc")) {
            return;
        }
        for (Event event : TestEvents.all().toList()) {
            GenericRecord asReleased = asWrittenWith(released, event);
            ByteBuffer bytes =
                    new BinaryMessageEncoder<GenericRecord>(GenericData.get(), released)
                            .encode(asReleased);

            Event decoded = EventCodec.decode(toArray(bytes));

            assertThat(decoded.getEventId())
                    .as(
                            "EventCodec must know the writer schema of every release; register"
                                    + " released schemas with the codec when the schema changes")
                    .isEqualTo(event.getEventId());
        }
    }

    private static GenericRecord asWrittenWith(Schema released, Event event) throws IOException {
        byte[] encoded = EventCodec.encode(event);
        GenericDatumReader<GenericRecord> reader =
                new GenericDatumReader<>(Event.getClassSchema(), released);
        return reader.read(
                null, DecoderFactory.get().binaryDecoder(encoded, 10, encoded.length - 10, null));
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    private static void assertCompatible(Schema reader, Schema writer) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertThat(result.getType())
                .as(result.getResult().getIncompatibilities().toString())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    private static void collectRecords(Schema schema, Map<String, Schema> records) {
        switch (schema.getType()) {
            case RECORD -> {
                if (records.putIfAbsent(schema.getFullName(), schema) == null) {
                    schema.getFields().forEach(field -> collectRecords(field.schema(), records));
                }
            }
            case UNION -> schema.getTypes().forEach(type -> collectRecords(type, records));
            case ARRAY -> collectRecords(schema.getElementType(), records);
            case MAP -> collectRecords(schema.getValueType(), records);
            default -> {}
        }
    }
}
