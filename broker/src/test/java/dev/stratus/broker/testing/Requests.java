package dev.stratus.broker.testing;

import java.util.List;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.CreateTopicsRequest;
import org.apache.kafka.common.requests.FetchRequest;
import org.apache.kafka.common.requests.InitProducerIdRequest;
import org.apache.kafka.common.requests.ListOffsetsRequest;
import org.apache.kafka.common.requests.ProduceRequest;

/** Builders for the raw requests tests send with {@link RawKafkaClient}. Test-only. */
public final class Requests {

    private Requests() {
    }

    public static CreateTopicsRequest createTopic(String name, int partitions) {
        CreateTopicsRequestData data = new CreateTopicsRequestData().setTimeoutMs(5000);
        data.topics().add(new CreateTopicsRequestData.CreatableTopic()
                .setName(name).setNumPartitions(partitions).setReplicationFactor((short) -1));
        return new CreateTopicsRequest.Builder(data).build((short) 7);
    }

    public static InitProducerIdRequest initProducerId() {
        return new InitProducerIdRequest.Builder(new InitProducerIdRequestData()
                .setTransactionalId(null).setTransactionTimeoutMs(60_000)
                .setProducerId(-1).setProducerEpoch((short) -1)).build((short) 5);
    }

    public static ProduceRequest produce(String topic, int partition, MemoryRecords records, short acks) {
        ProduceRequestData data = new ProduceRequestData().setAcks(acks).setTimeoutMs(5000);
        ProduceRequestData.TopicProduceData topicData = new ProduceRequestData.TopicProduceData().setName(topic);
        topicData.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records));
        data.topicData().add(topicData);
        return new ProduceRequest(data, (short) 12);
    }

    public static FetchRequest fetch(String topic, int partition, long offset, int minBytes, int maxWaitMs) {
        return fetch(topic, partition, offset, minBytes, maxWaitMs, 1024 * 1024);
    }

    public static FetchRequest fetch(String topic, int partition, long offset, int minBytes, int maxWaitMs,
                                     int partitionMaxBytes) {
        FetchRequestData data = new FetchRequestData()
                .setReplicaId(-1).setMinBytes(minBytes).setMaxWaitMs(maxWaitMs).setMaxBytes(10 * 1024 * 1024)
                .setIsolationLevel(IsolationLevel.READ_UNCOMMITTED.id()).setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic);
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition()
                .setPartition(partition).setFetchOffset(offset).setPartitionMaxBytes(partitionMaxBytes).setCurrentLeaderEpoch(-1));
        data.topics().add(fetchTopic);
        return new FetchRequest(data, (short) 12);
    }

    public static ListOffsetsRequest listOffsets(String topic, int partition, long timestamp) {
        ListOffsetsRequestData.ListOffsetsTopic listTopic = new ListOffsetsRequestData.ListOffsetsTopic().setName(topic);
        listTopic.partitions().add(new ListOffsetsRequestData.ListOffsetsPartition()
                .setPartitionIndex(partition).setTimestamp(timestamp).setCurrentLeaderEpoch(-1));
        return ListOffsetsRequest.Builder.forConsumer(true, IsolationLevel.READ_UNCOMMITTED)
                .setTargetTimes(List.of(listTopic)).build((short) 8);
    }
}
