package dev.tamperwatch.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LabelTest {

    private static final Label LABEL =
            new Label(
                    "jailbreak-campaign-1",
                    "jailbreak-campaign",
                    Label.KeyType.PRINCIPAL,
                    "acme/u-017",
                    Instant.ofEpochMilli(1767830400000L),
                    Instant.ofEpochMilli(1767834000000L));

    @Test
    void serialisesAsOneJsonLineWithTheFieldsInOrder() {
        assertThat(LABEL.toJson())
                .isEqualTo(
                        "{\"incident_id\":\"jailbreak-campaign-1\",\"scenario\":\"jailbreak-campaign\","
                                + "\"key_type\":\"principal\",\"key\":\"acme/u-017\","
                                + "\"start\":1767830400000,\"end\":1767834000000}");
    }

    @Test
    void parsesWhatItWrites() {
        assertThat(Label.fromJson(LABEL.toJson())).isEqualTo(LABEL);
        assertThat(Label.fromJson(LABEL.toJson().replace(",", ", ").replace(":", ": ")))
                .isEqualTo(LABEL);
    }

    @Test
    void rejectsMalformedLines() {
        assertThatThrownBy(() -> Label.fromJson("{\"incident_id\":\"x\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Label.fromJson("not json"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void windowIsInclusiveAndOrdered() {
        assertThat(LABEL.covers(LABEL.start())).isTrue();
        assertThat(LABEL.covers(LABEL.end())).isTrue();
        assertThat(LABEL.covers(LABEL.end().plusMillis(1))).isFalse();
        assertThatThrownBy(
                        () ->
                                new Label(
                                        "i",
                                        "s",
                                        Label.KeyType.AGENT,
                                        "k",
                                        LABEL.end(),
                                        LABEL.start()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
