package dev.stratus.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.stratus.storage.objects.s3.S3Config;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code object.storage.type=s3} keys: parsed into an {@link S3Config}, with messages that name the key. */
class S3ConfigurationTest {

    @Test
    void fsNeedsNoS3Keys() {
        ServerConfig config = ServerConfig.parse(Map.of());
        assertThat(config.get(ServerConfig.OBJECT_STORAGE_TYPE)).isEqualTo("fs");
    }

    @Test
    void everyKeyReachesTheS3Settings() {
        ServerConfig config = ServerConfig.parse(Map.ofEntries(
                Map.entry("object.storage.type", "s3"),
                Map.entry("s3.bucket", "stratus-data"),
                Map.entry("s3.region", "eu-west-3"),
                Map.entry("s3.endpoint", "http://127.0.0.1:9000"),
                Map.entry("s3.path.style.access", "true"),
                Map.entry("s3.access.key", "AKIAEXAMPLE"),
                Map.entry("s3.secret.key", "secret"),
                Map.entry("s3.multipart.part.size.bytes", String.valueOf(8L << 20)),
                Map.entry("s3.max.inflight.requests", "16"),
                Map.entry("s3.request.timeout.ms", "5000"),
                Map.entry("s3.retry.max.attempts", "4"),
                Map.entry("s3.retry.backoff.ms", "50"),
                Map.entry("s3.retry.backoff.max.ms", "800")));

        S3Config s3 = config.s3Config();
        assertThat(s3.bucket()).isEqualTo("stratus-data");
        assertThat(s3.region()).isEqualTo("eu-west-3");
        assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:9000"));
        assertThat(s3.pathStyleAccess()).isTrue();
        assertThat(s3.accessKey()).isEqualTo("AKIAEXAMPLE");
        assertThat(s3.secretKey()).isEqualTo("secret");
        assertThat(s3.partSizeBytes()).isEqualTo(8L << 20);
        assertThat(s3.maxInflightRequests()).isEqualTo(16);
        assertThat(s3.requestTimeoutMs()).isEqualTo(5000);
        assertThat(s3.retry().maxAttempts()).isEqualTo(4);
        assertThat(s3.retry().baseBackoffMs()).isEqualTo(50);
        assertThat(s3.retry().maxBackoffMs()).isEqualTo(800);
        assertThat(s3.toString()).doesNotContain("secret");
    }

    @Test
    void defaultsUseAwsAndTheDefaultCredentialsChain() {
        S3Config s3 = ServerConfig.parse(Map.of("object.storage.type", "s3", "s3.bucket", "b")).s3Config();
        assertThat(s3.endpoint()).isNull();
        assertThat(s3.region()).isEqualTo("us-east-1");
        assertThat(s3.pathStyleAccess()).isFalse();
        assertThat(s3.staticCredentials()).isFalse();
        assertThat(s3.partSizeBytes()).isEqualTo(S3Config.DEFAULT_PART_SIZE_BYTES);
    }

    @Test
    void mistakesNameTheKey() {
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("object.storage.type", "s3")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3.bucket");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("object.storage.type", "s3", "s3.bucket", "b", "s3.access.key", "k")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3.secret.key");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("object.storage.type", "s3", "s3.bucket", "b", "s3.endpoint", "127.0.0.1:9000")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3.endpoint");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("object.storage.type", "s3", "s3.bucket", "b",
                "s3.multipart.part.size.bytes", "1048576")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("s3.multipart.part.size.bytes");
        assertThatThrownBy(() -> ServerConfig.parse(Map.of("object.storage.type", "gcs")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("object.storage.type");
    }
}
