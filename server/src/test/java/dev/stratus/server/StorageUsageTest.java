package dev.stratus.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.stratus.server.StorageUsage.Calls;
import dev.stratus.server.config.ServerConfig;
import dev.stratus.storage.objects.ObjectStorageStats.CallType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storage usage a node logs at graceful shutdown, which the Kafka comparison in bench parses. */
class StorageUsageTest {

    @TempDir
    Path dataDir;

    @Test
    void theLogLineHoldsOneKeyValuePairPerCounter() {
        Map<CallType, Calls> calls = new EnumMap<>(CallType.class);
        for (CallType type : CallType.values()) {
            calls.put(type, new Calls(0, 0));
        }
        calls.put(CallType.PUT, new Calls(3, 9000));
        calls.put(CallType.GET, new Calls(7, 512));

        String line = new StorageUsage("object", 8192, 2, 1, 4096, calls).logLine();

        assertThat(line).isEqualTo(StorageUsage.LOG_PREFIX + " wal.type=object wal.bytes=8192 wal.writes=2"
                + " wal.reads=1 wal.read.bytes=4096"
                + " put.calls=3 put.bytes=9000 get.calls=7 get.bytes=512 head.calls=0 head.bytes=0"
                + " list.calls=0 list.bytes=0 delete.calls=0 delete.bytes=0");
    }

    @Test
    void aGracefulShutdownCountsWhatWentToTheWalAndWhatItsUploadWrote() throws Exception {
        ServerConfig config = ServerConfig.parse(Map.of(
                "log.dirs", dataDir.toString(),
                "listeners", "PLAINTEXT://127.0.0.1:0",
                "wal.capacity.bytes", String.valueOf(16 << 20)));
        StratusServer server = new StratusServer(config);
        server.start();
        int records = 100;
        byte[] value = new byte[1024];
        try {
            Properties props = new Properties();
            props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + server.boundPort());
            props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                List<Future<RecordMetadata>> sends = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    sends.add(producer.send(new ProducerRecord<>("usage", value)));
                }
                for (Future<RecordMetadata> send : sends) {
                    send.get();
                }
            }
        } finally {
            server.shutdown();
        }

        StorageUsage usage = server.storageUsage();
        assertThat(usage.walType()).isEqualTo("file");
        assertThat(usage.walBytes()).isGreaterThanOrEqualTo((long) records * value.length);
        assertThat(usage.walWrites()).isPositive();
        // The shutdown uploads everything the WAL held.
        assertThat(usage.calls().get(CallType.PUT).bytes()).isGreaterThanOrEqualTo((long) records * value.length);
    }
}
