package dev.stratus.broker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.broker.config.BrokerLogDefaults;
import dev.stratus.broker.testing.TestBroker;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A topic config left to a broker default set in server.properties is described with source STATIC_BROKER_CONFIG. */
class BrokerLogDefaultsDescribeTest {

    private static TestBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = TestBroker.start(config -> config.withLogDefaults(BrokerLogDefaults.of(Map.of("log.retention.ms", "3600000"))));
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
        admin.createTopics(List.of(new NewTopic("broker-defaulted", 1, (short) 1),
                new NewTopic("topic-overridden", 1, (short) 1).configs(Map.of("retention.ms", "60000")))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void aBrokerDefaultIsTheValueWithSourceStaticBrokerConfig() throws Exception {
        ConfigEntry retention = describe("broker-defaulted").get("retention.ms");
        assertThat(retention.value()).isEqualTo("3600000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG);
        // As Kafka: the broker setting first, then the built-in default it replaced.
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::source)
                .containsExactly(ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG, ConfigEntry.ConfigSource.DEFAULT_CONFIG);
        assertThat(retention.synonyms().get(0).name()).isEqualTo("log.retention.ms");
        assertThat(retention.synonyms().get(0).value()).isEqualTo("3600000");
    }

    @Test
    void aTopicOverrideWinsAndListsTheBrokerDefaultAsASynonym() throws Exception {
        ConfigEntry retention = describe("topic-overridden").get("retention.ms");
        assertThat(retention.value()).isEqualTo("60000");
        assertThat(retention.source()).isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
        assertThat(retention.synonyms()).extracting(ConfigEntry.ConfigSynonym::source)
                .containsExactly(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG, ConfigEntry.ConfigSource.STATIC_BROKER_CONFIG,
                        ConfigEntry.ConfigSource.DEFAULT_CONFIG);
    }

    private static Config describe(String topic) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource), new DescribeConfigsOptions().includeSynonyms(true)).all().get().get(resource);
    }
}
