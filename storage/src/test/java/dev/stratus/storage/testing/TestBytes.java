package dev.stratus.storage.testing;

import dev.stratus.storage.objects.ObjectWriter;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Object contents for the object storage tests: seeded random bytes, buffers read out, streamed writes. Stateless. */
public final class TestBytes {

    private TestBytes() {
    }

    /** {@code size} bytes that the same seed always gives again. */
    public static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /** The remaining bytes of {@code buffer}, which is left as it was. */
    public static byte[] of(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    /**
     * Writes {@code data[from, to)} to {@code writer} in pieces of {@code pieceBytes}, {@code piecesPerWrite}
     * pieces a write, waiting for each write as {@link ObjectWriter} asks.
     */
    public static void writeInPieces(ObjectWriter writer, byte[] data, int from, int to, int pieceBytes, int piecesPerWrite) {
        List<ByteBuffer> pieces = new ArrayList<>();
        for (int at = from; at < to; at += pieceBytes) {
            pieces.add(ByteBuffer.wrap(data, at, Math.min(pieceBytes, to - at)));
            if (pieces.size() == piecesPerWrite) {
                writer.write(pieces).join();
                pieces = new ArrayList<>();
            }
        }
        if (!pieces.isEmpty()) {
            writer.write(pieces).join();
        }
    }
}
