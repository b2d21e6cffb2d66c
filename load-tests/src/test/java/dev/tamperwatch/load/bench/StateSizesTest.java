package dev.tamperwatch.load.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StateSizesTest {

    @Test
    void measuresEveryFamilyTypicalBelowAdversarial() {
        List<StateSizes.Row> rows = StateSizes.measure();

        assertThat(rows).extracting(StateSizes.Row::family).doesNotHaveDuplicates().isNotEmpty();
        assertThat(rows)
                .allSatisfy(
                        row -> {
                            assertThat(row.typicalBytes()).isPositive();
                            assertThat(row.adversarialBytes()).isGreaterThan(row.typicalBytes());
                        });
        assertThat(StateSizes.table(rows)).contains("| refusal-rate |");
    }

    @Test
    void longestIdsAreDistinctAndOfTheLongestStorableLength() {
        assertThat(StateSizes.longestId(1)).hasSize(128).isNotEqualTo(StateSizes.longestId(2));
    }
}
