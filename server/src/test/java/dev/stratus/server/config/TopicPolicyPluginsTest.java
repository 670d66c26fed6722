package dev.stratus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.broker.policy.TopicPolicies;
import java.util.Map;
import org.apache.kafka.common.errors.PolicyViolationException;
import org.apache.kafka.server.policy.CreateTopicPolicy;
import org.junit.jupiter.api.Test;

class TopicPolicyPluginsTest {

    /** Refuses every topic, naming the server property it was configured with. */
    public static final class RefuseAllPolicy implements CreateTopicPolicy {
        private Object team;

        @Override
        public void configure(Map<String, ?> configs) {
            team = configs.get("policy.team");
        }

        @Override
        public void validate(RequestMetadata request) {
            throw new PolicyViolationException("ask " + team + " for " + request.topic());
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aNamedPolicyIsCreatedConfiguredWithTheServerPropertiesAndAsked() {
        ServerConfig config = ServerConfig.parse(Map.of("create.topic.policy.class.name", RefuseAllPolicy.class.getName(),
                "policy.team", "platform"));
        try (TopicPolicies policies = TopicPolicyPlugins.load(config)) {
            assertThat(policies.createTopicViolation("orders", 3, (short) 1, null, Map.of())).isEqualTo("ask platform for orders");
            assertThat(policies.alterTopicConfigViolation("orders", Map.of("retention.ms", "1"))).isNull();
        }
    }

    @Test
    void withoutPoliciesEverythingIsAllowed() {
        try (TopicPolicies policies = TopicPolicyPlugins.load(ServerConfig.parse(Map.of()))) {
            assertThat(policies.createTopicViolation("orders", 3, (short) 1, null, Map.of())).isNull();
        }
    }

    @Test
    void aMissingClassStopsStartupNamingTheKey() {
        ServerConfig config = ServerConfig.parse(Map.of("create.topic.policy.class.name", "com.example.NoSuchPolicy"));
        assertThatThrownBy(() -> TopicPolicyPlugins.load(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("create.topic.policy.class.name")
                .hasMessageContaining("class not found");
    }

    @Test
    void aClassOfTheWrongKindStopsStartupNamingTheInterface() {
        ServerConfig config = ServerConfig.parse(Map.of("alter.config.policy.class.name", RefuseAllPolicy.class.getName()));
        assertThatThrownBy(() -> TopicPolicyPlugins.load(config))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("alter.config.policy.class.name")
                .hasMessageContaining("org.apache.kafka.server.policy.AlterConfigPolicy");
    }
}
