package dev.stratus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RefusedKeysTest {

    @ParameterizedTest
    @ValueSource(strings = {"authorizer.class.name", "super.users", "allow.everyone.if.no.acl.found",
            "sasl.enabled.mechanisms", "ssl.keystore.location", "security.inter.broker.protocol",
            "listener.name.external.ssl.keystore.location", "principal.builder.class", "delegation.token.secret.key"})
    void aSecurityKeyThatIsSetStopsStartupSayingSecurityIsNotSupportedYet(String key) {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of(key, "anything")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key)
                .hasMessageContaining("not supported yet");
    }

    @Test
    void aProtocolMapAskingForTlsOrSaslStopsStartup() {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,EXT:SASL_SSL")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("listener.security.protocol.map")
                .hasMessageContaining("not supported yet");
    }

    @Test
    void aProtocolMapOfPlaintextListenersOnlyIsAccepted() {
        ServerConfig config = ServerConfig.parse(Map.of("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"));

        assertThat(config.originals()).containsKey("listener.security.protocol.map");
    }

    @Test
    void votersNamingOnlyThisNodeDescribeAOneVoterQuorum() {
        ServerConfig config = ServerConfig.parse(Map.of("node.id", "1", "controller.quorum.voters", "1@127.0.0.1:9093"));

        assertThat(config.inQuorum()).isTrue();
        assertThat(config.voters()).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"controller.quorum.bootstrap.servers", "controller.quorum.fetch.timeout.ms"})
    void aQuorumKeyThisVersionDoesNotImplementStopsStartup(String key) {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of(key, "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(key);
    }
}
