package dev.tamperwatch.detect.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BaselineCapTest {

    @Test
    void shrinksOnlyBeyondTheCap() {
        BaselineCap cap = new BaselineCap(1000);
        assertThat(cap.shrinkFactor(999)).isEqualTo(1.0);
        assertThat(cap.shrinkFactor(1000)).isEqualTo(1.0);
        assertThat(cap.shrinkFactor(1250) * 1250).isEqualTo(1000.0);
    }

    @Test
    void rejectsNonPositiveCap() {
        assertThatThrownBy(() -> new BaselineCap(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
