package dev.stratus.metadata.quorum;

import dev.stratus.metadata.journal.MetadataRecordCodec;
import dev.stratus.metadata.record.MetadataRecord;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The quorum's byte formats for metadata records. A <b>proposal</b>, the data of one Ratis log
 * entry, is {@code version:int8 (0), expectedTerm:int64, count:int32, count x (length:int32,
 * record)}: the records of one controller decision and the leader term it was decided in (the
 * entry is applied only if Ratis appended it in that same term). A <b>commit reply</b> is
 * {@code status:int8 (0 applied, 1 fenced), index:int64}. A <b>record list</b> (snapshots,
 * fetch answers) is {@code count:int32, count x (length:int32, record)}. Records inside are
 * {@link MetadataRecordCodec}'s. Stateless.
 */
final class RecordBatchCodec {

    private static final byte PROPOSAL_VERSION = 0;
    static final byte APPLIED = 0;
    static final byte FENCED = 1;
    /** Anything larger is a corrupt length, not a record. */
    private static final int MAX_RECORD_BYTES = 16 << 20;

    private RecordBatchCodec() {
    }

    record Proposal(long expectedTerm, List<MetadataRecord> records) {
    }

    record CommitReply(byte status, long index) {
    }

    static byte[] encodeProposal(long expectedTerm, List<MetadataRecord> records) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 * (records.size() + 1));
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(PROPOSAL_VERSION);
            out.writeLong(expectedTerm);
            writeRecords(out, records);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Proposal decodeProposal(InputStream data) throws IOException {
        DataInputStream in = new DataInputStream(data);
        byte version = in.readByte();
        if (version != PROPOSAL_VERSION) {
            throw new IOException("unknown proposal version " + version);
        }
        long term = in.readLong();
        return new Proposal(term, readRecords(in));
    }

    static byte[] encodeReply(byte status, long index) {
        return new byte[] {status, (byte) (index >>> 56), (byte) (index >>> 48), (byte) (index >>> 40), (byte) (index >>> 32),
                (byte) (index >>> 24), (byte) (index >>> 16), (byte) (index >>> 8), (byte) index};
    }

    static CommitReply decodeReply(byte[] data) {
        if (data.length != 9) {
            throw new IllegalArgumentException("a commit reply is 9 bytes, got " + data.length);
        }
        long index = 0;
        for (int i = 1; i < 9; i++) {
            index = (index << 8) | (data[i] & 0xFF);
        }
        return new CommitReply(data[0], index);
    }

    static void writeRecords(OutputStream stream, List<MetadataRecord> records) throws IOException {
        DataOutputStream out = stream instanceof DataOutputStream d ? d : new DataOutputStream(stream);
        out.writeInt(records.size());
        for (MetadataRecord record : records) {
            byte[] payload = MetadataRecordCodec.encode(record);
            out.writeInt(payload.length);
            out.write(payload);
        }
        out.flush();
    }

    static List<MetadataRecord> readRecords(InputStream stream) throws IOException {
        DataInputStream in = stream instanceof DataInputStream d ? d : new DataInputStream(stream);
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative record count " + count);
        }
        List<MetadataRecord> records = new ArrayList<>(Math.min(count, 4096));
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_RECORD_BYTES) {
                throw new IOException("bad record length " + length);
            }
            byte[] payload = in.readNBytes(length);
            if (payload.length != length) {
                throw new IOException("truncated record");
            }
            try {
                records.add(MetadataRecordCodec.decode(payload));
            } catch (IllegalArgumentException e) {
                throw new IOException("a record this version cannot read: " + e.getMessage(), e);
            }
        }
        return records;
    }
}
