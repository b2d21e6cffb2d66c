package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tamperwatch.schema.avro.Event;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Whatever the bytes, decoding fails only with {@link MalformedEventException}. */
class GarbageInputTest {

    private static final long SEED = 20260501L;
    private static final EventDecoder DECODER = new EventDecoder(TestEvents.VALIDATOR);

    @Test
    void randomBytesWithAndWithoutAValidHeader() {
        Random random = new Random(SEED);
        byte[] header = Arrays.copyOf(EventCodec.encode(TestEvents.minimalPrompt()), 10);
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = new byte[random.nextInt(300)];
            random.nextBytes(bytes);
            if (i % 2 == 0 && bytes.length >= 10) {
                System.arraycopy(header, 0, bytes, 0, 10);
            }
            inputs.add(bytes);
        }

        assertOnlyMalformedEventExceptions(inputs);
    }

    @Test
    void everyTruncationOfEveryValidEncoding() {
        List<byte[]> inputs = new ArrayList<>();
        TestEvents.all()
                .map(EventCodec::encode)
                .forEach(
                        bytes -> {
                            for (int length = 0; length < bytes.length; length++) {
                                inputs.add(Arrays.copyOf(bytes, length));
                            }
                        });

        List<Outcome> outcomes = assertOnlyMalformedEventExceptions(inputs);

        assertThat(outcomes).allMatch(outcome -> outcome == Outcome.REJECTED);
    }

    @Test
    void randomByteFlipsInValidEncodings() {
        Random random = new Random(SEED);
        List<byte[]> encodings = TestEvents.all().map(EventCodec::encode).toList();
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            byte[] bytes = encodings.get(i % encodings.size()).clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[10 + random.nextInt(bytes.length - 10)] = (byte) random.nextInt(256);
            }
            inputs.add(bytes);
        }

        assertOnlyMalformedEventExceptions(inputs);
    }

    @Test
    void randomCharacterFlipsInValidJson() {
        Random random = new Random(SEED);
        List<String> lines = TestEvents.all().map(EventJson::write).toList();
        String alphabet = "{}[]\":,0123456789-+.eE nultrfaNI\\\u00e9";
        List<byte[]> inputs = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            char[] chars = lines.get(i % lines.size()).toCharArray();
            int flips = 1 + random.nextInt(3);
            for (int f = 0; f < flips; f++) {
                chars[random.nextInt(chars.length)] =
                        alphabet.charAt(random.nextInt(alphabet.length()));
            }
            inputs.add(new String(chars).getBytes(StandardCharsets.UTF_8));
        }

        assertOnlyMalformedEventExceptions(inputs);
    }

    private enum Outcome {
        DECODED,
        REJECTED
    }

    private static List<Outcome> assertOnlyMalformedEventExceptions(List<byte[]> inputs) {
        List<Outcome> outcomes = new ArrayList<>();
        for (byte[] input : inputs) {
            outcomes.add(decodeWithCodec(input));
            decodeWithDecoder(input);
        }
        return outcomes;
    }

    private static Outcome decodeWithCodec(byte[] input) {
        try {
            Event event = EventCodec.decode(input);
            assertThat(event).isNotNull();
            return Outcome.DECODED;
        } catch (MalformedEventException e) {
            assertThat(e.field()).isEqualTo("<bytes>");
            return Outcome.REJECTED;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("EventCodec threw " + e + " for " + Arrays.toString(input), e);
        }
    }

    private static void decodeWithDecoder(byte[] input) {
        try {
            assertThat(DECODER.decode(input)).isNotNull();
        } catch (MalformedEventException e) {
            assertThat(e.getMessage()).startsWith(e.field() + ": ");
        } catch (RuntimeException | Error e) {
            throw new AssertionError(
                    "EventDecoder threw " + e + " for " + Arrays.toString(input), e);
        }
    }
}
