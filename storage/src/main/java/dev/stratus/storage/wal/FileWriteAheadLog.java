package dev.stratus.storage.wal;

import dev.stratus.storage.stream.StreamErrorCode;
import dev.stratus.storage.stream.StreamException;
import dev.stratus.storage.stream.StreamRecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The file WAL: a preallocated file used as a ring of 4 KiB-aligned group writes, with a
 * double-slot header holding the trim point (formats in {@link WalRecordFormat} and
 * {@link WalHeader}). {@link #start()} scans from the trim point to the first torn or corrupt
 * record, logs what it found, bumps the generation, and starts the {@link WalWriterAgent}.
 *
 * <p>Threading: appends, trims and barriers are handed to the writer thread; {@link #read} runs
 * on the caller's thread (positional reads of regions the writer does not touch).
 */
public final class FileWriteAheadLog implements WriteAheadLog {

    private static final Logger LOG = LoggerFactory.getLogger(FileWriteAheadLog.class);

    private final WalConfig config;
    private WalFile file;
    private WalRecordReader reader;
    private WalWriterAgent writer;
    private Thread writerThread;

    public FileWriteAheadLog(WalConfig config) {
        this.config = config;
    }

    @Override
    public synchronized WalRecoveryResult start() {
        if (writer != null) {
            throw new IllegalStateException("WAL already started");
        }
        try {
            WalHeader header = openOrCreate();
            long trim = header.trimPosition();
            long position = trim;
            long records = 0;
            long bytes = 0;
            long generation = 0;
            String stopReason;
            while (true) {
                if (position - trim >= file.capacity()) {
                    stopReason = "the ring is full";
                    break;
                }
                WalRecordReader.Outcome outcome = reader.read(position, trim, generation, header.generation());
                if (!outcome.valid()) {
                    stopReason = outcome.invalidReason();
                    break;
                }
                records++;
                bytes += outcome.entry().batch().sizeInBytes();
                generation = outcome.generation();
                position = outcome.entry().endPosition();
            }
            LOG.info("WAL recovered {} bytes ({} records) from position {} in {}, stopped at {} because {}",
                    bytes, records, trim, config.path(), position, stopReason);
            WalHeader opened = header.next(trim, header.generation() + 1);
            file.writeHeader(opened);
            byte[] prefix = new byte[(int) (position - WalRecordFormat.alignDown(position))];
            if (prefix.length > 0) {
                file.read(WalRecordFormat.alignDown(position), prefix.length).get(prefix);
            }
            writer = new WalWriterAgent(file, config, opened, position, prefix);
            writerThread = new Thread(writer, "stratus-wal-writer");
            writerThread.setDaemon(true);
            writerThread.start();
            return new WalRecoveryResult(trim, position, records, bytes, stopReason);
        } catch (IOException e) {
            throw new StreamException(StreamErrorCode.UNEXPECTED, "cannot open WAL " + config.path(), e);
        }
    }

    private WalHeader openOrCreate() throws IOException {
        if (!Files.exists(config.path())) {
            WalFile.create(config.path(), config.capacityBytes());
            file = WalFile.open(config.path(), config.capacityBytes());
            WalHeader header = new WalHeader(config.capacityBytes(), 0, 0, 0);
            file.writeHeader(header);
            LOG.info("WAL created {} with a capacity of {} bytes", config.path(), config.capacityBytes());
            reader = new WalRecordReader(file);
            return header;
        }
        WalHeader[] slots = WalFile.readHeaders(config.path());
        WalHeader header = slots[0];
        if (slots[1] != null && (header == null || slots[1].sequence() > header.sequence())) {
            header = slots[1];
        }
        if (header == null) {
            if (!headerPagesAreZero()) {
                throw new IOException("WAL " + config.path() + " has no valid header: not a Stratus WAL, or both header slots are corrupt");
            }
            LOG.info("WAL {} has never been written: initialising it", config.path());
            try (FileChannel channel = FileChannel.open(config.path(), StandardOpenOption.WRITE)) {
                if (channel.size() < WalHeader.DATA_START + config.capacityBytes()) {
                    channel.write(ByteBuffer.allocate(1), WalHeader.DATA_START + config.capacityBytes() - 1);
                }
            }
            header = new WalHeader(config.capacityBytes(), 0, 0, 0);
            file = WalFile.open(config.path(), config.capacityBytes());
            file.writeHeader(header);
        } else {
            if (header.capacity() != config.capacityBytes()) {
                LOG.warn("WAL {} was created with a capacity of {} bytes; keeping it (configured: {})",
                        config.path(), header.capacity(), config.capacityBytes());
            }
            file = WalFile.open(config.path(), header.capacity());
        }
        reader = new WalRecordReader(file);
        return header;
    }

    private boolean headerPagesAreZero() throws IOException {
        try (FileChannel channel = FileChannel.open(config.path(), StandardOpenOption.READ)) {
            ByteBuffer pages = ByteBuffer.allocate((int) WalHeader.DATA_START);
            channel.read(pages, 0);
            pages.flip();
            while (pages.hasRemaining()) {
                if (pages.get() != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    @Override
    public void append(StreamRecordBatch batch, WalAppendCallback callback) {
        WalWriterAgent agent = writer;
        if (agent == null) {
            callback.onComplete(null, new StreamException(StreamErrorCode.STORAGE_UNAVAILABLE, "WAL not started"));
            return;
        }
        agent.append(batch, callback);
    }

    @Override
    public CompletableFuture<Void> barrier() {
        return started().barrier();
    }

    @Override
    public WalReadResult read(long fromPosition, long toPosition, long maxBytes) {
        WalWriterAgent agent = started();
        long trim = agent.trimPosition();
        if (fromPosition < trim || toPosition > agent.durablePosition()) {
            throw new IllegalArgumentException("cannot read " + fromPosition + ".." + toPosition + " outside the live range "
                    + trim + ".." + agent.durablePosition());
        }
        List<WalEntry> entries = new ArrayList<>();
        long position = fromPosition;
        long bytes = 0;
        long generation = 0;
        try {
            while (position < toPosition && (entries.isEmpty() || bytes < maxBytes)) {
                WalRecordReader.Outcome outcome = reader.read(position, trim, generation, agent.generation());
                if (!outcome.valid()) {
                    throw new StreamException(StreamErrorCode.UNEXPECTED, "WAL " + config.path() + " has no valid record at "
                            + position + " below its durable end " + toPosition + ": " + outcome.invalidReason());
                }
                entries.add(outcome.entry());
                bytes += outcome.entry().batch().sizeInBytes();
                generation = outcome.generation();
                position = outcome.entry().endPosition();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read WAL " + config.path(), e);
        }
        return new WalReadResult(entries, position);
    }

    @Override
    public CompletableFuture<Void> trim(long position) {
        return started().trim(position);
    }

    @Override
    public long trimPosition() {
        return started().trimPosition();
    }

    @Override
    public long confirmedPosition() {
        return started().confirmedPosition();
    }

    /** How many group commits (write + force) the writer has made since {@link #start()}. */
    public long groupCommits() {
        return started().forces();
    }

    @Override
    public long capacity() {
        return file != null ? file.capacity() : config.capacityBytes();
    }

    @Override
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        writer.close();
        try {
            writerThread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            file.close();
        } catch (IOException e) {
            LOG.warn("closing WAL {} failed", config.path(), e);
        }
        LOG.info("WAL {} closed at position {}, trimmed to {}", config.path(), writer.confirmedPosition(), writer.trimPosition());
    }

    private WalWriterAgent started() {
        WalWriterAgent agent = writer;
        if (agent == null) {
            throw new IllegalStateException("WAL not started");
        }
        return agent;
    }
}
