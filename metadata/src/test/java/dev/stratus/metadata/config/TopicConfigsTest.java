package dev.stratus.metadata.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicConfigsTest {

    @Test
    void problemsAreReportedInKafkasWords() {
        assertThat(TopicConfigs.problem(Map.of("retention.ms", "-2")))
                .isEqualTo("Invalid value -2 for configuration retention.ms: Value must be at least -1");
        assertThat(TopicConfigs.problem(Map.of("retention.ms", "x")))
                .isEqualTo("Invalid value x for configuration retention.ms: Not a number of type LONG");
        assertThat(TopicConfigs.problem(Map.of("message.timestamp.type", "Now")))
                .isEqualTo("Invalid value Now for configuration message.timestamp.type: String must be one of: CreateTime, LogAppendTime");
        assertThat(TopicConfigs.problem(Map.of("bogus", "1"))).isEqualTo("Unknown topic config name: bogus");
        assertThat(TopicConfigs.problem(Map.of("cleanup.policy", "compact, delete", "preallocate", "TRUE"))).isNull();
    }

    @Test
    void everyKeyAcceptsItsOwnDefault() {
        for (TopicConfigKey key : TopicConfigs.all()) {
            assertThat(key.check(key.defaultValue())).as(key.name()).isNull();
        }
    }
}
