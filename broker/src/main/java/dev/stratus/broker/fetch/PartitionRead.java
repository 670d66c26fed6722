package dev.stratus.broker.fetch;

import dev.stratus.broker.network.BufferSequence;
import dev.stratus.broker.partition.LeaderEpochs;
import dev.stratus.broker.partition.PartitionLeader;
import dev.stratus.broker.partition.StreamErrors;
import dev.stratus.storage.stream.FetchResult;
import dev.stratus.storage.stream.Stream;
import dev.stratus.storage.stream.StreamRecordBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.MemoryRecords;

/**
 * Reads one partition for a Fetch: checks the leader epoch and the offset against
 * {@code [logStartOffset, logEndOffset]}, then reads whole batches below the high watermark up
 * to {@code maxBytes} (the first batch of a response is returned even when larger, KIP-74).
 * Stateless; any thread.
 */
final class PartitionRead {

    /** What one partition contributes to a Fetch response. */
    record Result(Errors error, long highWatermark, long logStartOffset, BaseRecords records, int sizeInBytes) {

        static Result error(Errors error) {
            return new Result(error, -1L, -1L, MemoryRecords.EMPTY, 0);
        }

        static Result empty(long highWatermark, long logStartOffset) {
            return new Result(Errors.NONE, highWatermark, logStartOffset, MemoryRecords.EMPTY, 0);
        }
    }

    private PartitionRead() {
    }

    static CompletableFuture<Result> read(PartitionLeader leader, int currentLeaderEpoch, long fetchOffset,
                                          int maxBytes, boolean minOneBatch) {
        Stream stream = leader.stream();
        if (stream == null) {
            return done(Result.error(leader.readError()));
        }
        Errors epochError = LeaderEpochs.check(currentLeaderEpoch, leader.leaderEpoch());
        if (epochError != Errors.NONE) {
            return done(Result.error(epochError));
        }
        long highWatermark = stream.confirmedOffset();
        long logStartOffset = stream.startOffset();
        if (fetchOffset < logStartOffset || fetchOffset > stream.nextOffset()) {
            return done(new Result(Errors.OFFSET_OUT_OF_RANGE, highWatermark, logStartOffset, MemoryRecords.EMPTY, 0));
        }
        if (fetchOffset >= highWatermark || maxBytes <= 0 && !minOneBatch) {
            return done(Result.empty(highWatermark, logStartOffset));
        }
        return stream.fetch(fetchOffset, highWatermark, Math.max(1, maxBytes))
                .handle((result, error) -> error != null
                        ? Result.error(StreamErrors.toKafka(error))
                        : select(result, fetchOffset, maxBytes, minOneBatch));
    }

    private static Result select(FetchResult result, long fetchOffset, int maxBytes, boolean minOneBatch) {
        List<ByteBuffer> chosen = new ArrayList<>();
        int size = 0;
        for (StreamRecordBatch batch : result.batches()) {
            if (batch.nextOffset() <= fetchOffset) {
                continue;
            }
            boolean first = chosen.isEmpty();
            if (size + batch.sizeInBytes() > maxBytes && !(first && minOneBatch)) {
                break;
            }
            chosen.add(batch.payloadView());
            size += batch.sizeInBytes();
        }
        return new Result(Errors.NONE, result.confirmedOffset(), result.startOffset(), records(chosen), size);
    }

    /** The chosen batches in their stored buffers: the response encoder copies each out once, so joining them here would only add a copy. */
    private static BaseRecords records(List<ByteBuffer> buffers) {
        if (buffers.isEmpty()) {
            return MemoryRecords.EMPTY;
        }
        if (buffers.size() == 1) {
            return MemoryRecords.readableRecords(buffers.get(0).slice());
        }
        return new BufferSequence(buffers);
    }

    private static <T> CompletableFuture<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }
}
