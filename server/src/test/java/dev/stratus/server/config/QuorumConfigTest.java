package dev.stratus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.metadata.quorum.QuorumSettings;
import dev.stratus.metadata.quorum.QuorumVoter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Roles, listeners and controller.quorum.* settings of cluster nodes, and what they refuse. */
class QuorumConfigTest {

    private static final String VOTERS = "1@127.0.0.1:19093,2@127.0.0.1:29093,3@127.0.0.1:39093";

    private static ServerConfig parse(String... pairs) {
        Map<String, String> properties = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        return ServerConfig.parse(properties);
    }

    @Test
    void aControllerOnlyNodeNeedsNoKafkaListenerAndGetsItsQuorumSettings() {
        ServerConfig config = parse("node.id", "2", "process.roles", "controller", "controller.quorum.voters", VOTERS,
                "listeners", "CONTROLLER://127.0.0.1:29093", "controller.quorum.election.timeout.ms", "500");

        assertThat(config.isController()).isTrue();
        assertThat(config.isBroker()).isFalse();
        assertThat(config.listener()).isNull();
        QuorumSettings settings = config.quorumSettings("cluster-a");
        assertThat(settings.self()).isEqualTo(new QuorumVoter(2, "127.0.0.1", 29093));
        assertThat(settings.electionTimeoutMinMs()).isEqualTo(500);
        assertThat(settings.electionTimeoutMaxMs()).isEqualTo(1000);
    }

    @Test
    void aBrokerOnlyNodeHasAKafkaListenerAndIsNoVoter() {
        ServerConfig config = parse("node.id", "10", "process.roles", "broker", "controller.quorum.voters", VOTERS,
                "listeners", "PLAINTEXT://127.0.0.1:9092", "broker.rack", "rack-a");

        assertThat(config.listener()).isEqualTo(new Listener("PLAINTEXT", "127.0.0.1", 9092));
        assertThat(config.quorumSettings("cluster-a").self()).isNull();
        assertThat(config.get(ServerConfig.BROKER_RACK)).isEqualTo("rack-a");
    }

    @Test
    void aSeparateRoleWithoutVotersIsRefused() {
        assertThatThrownBy(() -> parse("process.roles", "broker")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("controller.quorum.voters");
    }

    @Test
    void aControllerThatIsNotAVoterIsRefused() {
        assertThatThrownBy(() -> parse("node.id", "7", "process.roles", "controller", "controller.quorum.voters", VOTERS,
                "listeners", "CONTROLLER://127.0.0.1:9093")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("not among controller.quorum.voters");
    }

    @Test
    void aBrokerThatIsAVoterIsRefused() {
        assertThatThrownBy(() -> parse("node.id", "1", "process.roles", "broker", "controller.quorum.voters", VOTERS))
                .isInstanceOf(ConfigException.class).hasMessageContaining("no controller role");
    }

    @Test
    void aQuorumListenerOnAnotherPortThanTheVoterAddressIsRefused() {
        assertThatThrownBy(() -> parse("node.id", "1", "process.roles", "controller", "controller.quorum.voters", VOTERS,
                "listeners", "CONTROLLER://127.0.0.1:19999")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("differs from this node's voter address");
    }

    @Test
    void badVotersNameWhatIsWrong() {
        assertThatThrownBy(() -> parse("controller.quorum.voters", "1@127.0.0.1")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("id@host:port");
        assertThatThrownBy(() -> parse("controller.quorum.voters", "1@a:1,1@b:2")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("appears twice");
    }

    @Test
    void aSessionTimeoutNotLongerThanTheHeartbeatIntervalIsRefused() {
        assertThatThrownBy(() -> parse("node.id", "1", "controller.quorum.voters", "1@127.0.0.1:9093",
                "broker.heartbeat.interval.ms", "3000", "broker.session.timeout.ms", "3000"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("broker.session.timeout.ms");
    }
}
