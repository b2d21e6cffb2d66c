package dev.tamperwatch.load.xstest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotedFieldsMayHoldCommasQuotesAndNewlines() throws IOException {
        String text =
                "model,id,gpt4_label\r\n"
                        + "gpt4,1,\"I'm sorry, but \"\"no\"\".\nReally.\"\n"
                        + "gpt4,2,\n"
                        + "gpt4,3,2_full_refusal";
        List<List<String>> records = Csv.read(new StringReader(text));
        assertThat(records)
                .containsExactly(
                        List.of("model", "id", "gpt4_label"),
                        List.of("gpt4", "1", "I'm sorry, but \"no\".\nReally."),
                        List.of("gpt4", "2", ""),
                        List.of("gpt4", "3", "2_full_refusal"));
    }

    @Test
    void aTrailingNewlineAddsNoRecordAndAnOpenQuoteIsAnError() throws IOException {
        assertThat(Csv.read(new StringReader("a,b\n1,2\n"))).hasSize(2);
        assertThat(Csv.read(new StringReader(""))).isEmpty();
        assertThatThrownBy(() -> Csv.read(new StringReader("a,\"b\n")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unterminated");
    }
}
