package dev.stratus.bench.compare;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The client settings of every workload, the same against every system: kafka-clients' defaults
 * (linger.ms=5, no compression, fetch.max.bytes=50 MiB, max.partition.fetch.bytes=1 MiB) with
 * acks=all and idempotence spelled out, and room for more bytes in flight: batch.size 1 MiB
 * (default 16 KiB), max.request.size 8 MiB (1 MiB), buffer.memory 64 MiB (32 MiB).
 *
 * <p>Why: an idempotent producer keeps at most 5 requests in flight per broker, so it moves at
 * most 5 requests' worth of bytes per acknowledgement time. With the defaults that is
 * 5 x 16 partitions x 16 KiB, about 5 MB/s, when acknowledgements take 250 ms as with the object
 * WAL; and 5 x 1 MiB requests cap it near 15 MB/s. When acknowledgements are fast, as with Kafka
 * and the file WAL, the larger limits change nothing: linger.ms, not batch.size, bounds the wait.
 * Stateless.
 */
final class ClientConfigs {

    /** batch.size of every producer. */
    static final int BATCH_BYTES = 1 << 20;

    private ClientConfigs() {
    }

    static Properties producer(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(BATCH_BYTES));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(64L << 20));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** A consumer without a group: partitions are assigned by the harness, nothing is committed. */
    static Properties consumer(String bootstrapServers, String clientId) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }
}
