package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamRecordBatch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Builders and file surgery shared by the WAL tests. */
final class WalTestSupport {

    private WalTestSupport() {
    }

    static WalConfig config(Path path, long capacity) {
        return new WalConfig(path, capacity, 1024, 16L * 1024 * 1024, 2_000, 1024 * 1024);
    }

    static StreamRecordBatch batch(long streamId, long baseOffset, int count, int size) {
        byte[] payload = new byte[size];
        byte[] tag = (streamId + ":" + baseOffset + ";").getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            payload[i] = tag[i % tag.length];
        }
        return new StreamRecordBatch(streamId, 1, baseOffset, count, ByteBuffer.wrap(payload));
    }

    static void overwrite(Path wal, long capacity, long logicalPosition, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), WalHeader.DATA_START + logicalPosition % capacity);
        }
    }

    static byte readByte(Path wal, long capacity, long logicalPosition) throws IOException {
        try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, WalHeader.DATA_START + logicalPosition % capacity);
            return one.get(0);
        }
    }
}
