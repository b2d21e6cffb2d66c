package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HashingTest {

    @Test
    void sha256HexMatchesKnownVectors() {
        assertThat(Hashing.sha256Hex(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(Hashing.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void textIsHashedAsUtf8() {
        String text = "grüße ✓";

        assertThat(Hashing.sha256Hex(text))
                .isEqualTo(Hashing.sha256Hex(text.getBytes(StandardCharsets.UTF_8)))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void canonicalJsonSortsKeysAtEveryLevelWithoutWhitespace() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1);
        inner.put("a", List.of(true, "x"));
        Map<String, Object> outer = new LinkedHashMap<>();
        outer.put("to", "bob@example.com");
        outer.put("options", inner);
        outer.put("cc", null);

        assertThat(CanonicalJson.write(outer))
                .isEqualTo(
                        "{\"cc\":null,\"options\":{\"a\":[true,\"x\"],\"z\":1},"
                                + "\"to\":\"bob@example.com\"}");
        assertThat(CanonicalJson.write(Map.of("b", 2, "a", 1)))
                .isEqualTo(CanonicalJson.write(Map.of("a", 1, "b", 2)));
    }

    @Test
    void canonicalJsonRejectsWhatJacksonCannotWrite() {
        assertThatThrownBy(() -> CanonicalJson.write(Map.of("x", new Object())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cannot be written as canonical JSON");
    }
}
