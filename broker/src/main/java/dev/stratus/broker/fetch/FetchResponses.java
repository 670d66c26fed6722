package dev.stratus.broker.fetch;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.requests.FetchResponse;

/**
 * Lays out the topics of a Fetch response: the chosen partitions in read order, consecutive
 * partitions of one topic under one topic entry named as the request named it (id from v13, name
 * before). Stateless; any thread.
 */
final class FetchResponses {

    private FetchResponses() {
    }

    static List<FetchResponseData.FetchableTopicResponse> topics(List<PartitionFetch> reads, PartitionRead.Result[] results,
                                                                 boolean[] included, boolean readCommitted) {
        List<FetchResponseData.FetchableTopicResponse> topics = new ArrayList<>();
        PartitionKey topicOf = null;
        FetchResponseData.FetchableTopicResponse current = null;
        for (int i = 0; i < reads.size(); i++) {
            if (!included[i]) {
                continue;
            }
            PartitionKey key = reads.get(i).key();
            if (current == null || !key.sameTopic(topicOf)) {
                current = new FetchResponseData.FetchableTopicResponse().setTopic(key.topic()).setTopicId(key.topicId());
                topics.add(current);
                topicOf = key;
            }
            current.partitions().add(partition(key.partition(), results[i], readCommitted));
        }
        return topics;
    }

    private static FetchResponseData.PartitionData partition(int index, PartitionRead.Result result, boolean readCommitted) {
        long highWatermark = result.highWatermark();
        return new FetchResponseData.PartitionData()
                .setPartitionIndex(index)
                .setErrorCode(result.error().code())
                .setHighWatermark(highWatermark)
                .setLastStableOffset(highWatermark < 0 ? FetchResponse.INVALID_LAST_STABLE_OFFSET : highWatermark)
                .setLogStartOffset(result.logStartOffset())
                .setAbortedTransactions(readCommitted ? new ArrayList<>() : null)
                .setPreferredReadReplica(FetchResponse.INVALID_PREFERRED_REPLICA_ID)
                .setRecords(result.records());
    }
}
