package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.RecordDecoder;
import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.avro.Event;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.ArrayResultIterator;
import org.apache.flink.connector.file.src.util.CheckpointedPosition;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;

/**
 * Reads whole event files into {@link Decoded} records: an Avro object container file of {@link
 * Event} (recognised by its {@code Obj\1} magic) or JSON Lines ({@code dev.tamperwatch.schema}'s
 * JSON form, one event per line, blank lines skipped). Every record goes through the pipeline's
 * {@link RecordDecoder}, so a malformed line or an invalid event becomes a dead letter whose source
 * is the file name and whose offset is the 1-based line (JSON Lines) or record (Avro) number. Files
 * are not split.
 */
public final class EventFileFormat implements BulkFormat<Decoded, FileSourceSplit> {

    private static final long serialVersionUID = 1L;
    private static final byte[] AVRO_MAGIC = {'O', 'b', 'j', 1};
    private static final int BATCH = 512;

    /** Longest JSON line read; a longer one becomes a dead letter. */
    static final int MAX_LINE_BYTES = 8 << 20;

    /** Whether a file starts with the Avro object container magic. */
    static boolean isAvroContainer(byte[] head, int length) {
        return length >= AVRO_MAGIC.length
                && Arrays.equals(head, 0, AVRO_MAGIC.length, AVRO_MAGIC, 0, AVRO_MAGIC.length);
    }

    @Override
    public Reader<Decoded> createReader(Configuration config, FileSourceSplit split)
            throws IOException {
        return open(split, 0);
    }

    @Override
    public Reader<Decoded> restoreReader(Configuration config, FileSourceSplit split)
            throws IOException {
        long skip =
                split.getReaderPosition()
                        .map(CheckpointedPosition::getRecordsAfterOffset)
                        .orElse(0L);
        return open(split, skip);
    }

    private static Reader<Decoded> open(FileSourceSplit split, long skip) throws IOException {
        Path path = split.path();
        FSDataInputStream raw = path.getFileSystem().open(path);
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(AVRO_MAGIC.length);
        byte[] head = in.readNBytes(AVRO_MAGIC.length);
        in.reset();
        RecordReader records =
                isAvroContainer(head, head.length)
                        ? new AvroRecords(in, path.getName())
                        : new LineRecords(in, path.getName());
        BatchReader reader = new BatchReader(records);
        reader.skip(skip);
        return reader;
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<Decoded> getProducedType() {
        return TypeInformation.of(Decoded.class);
    }

    /** The records of one file, one at a time; null at the end. */
    private interface RecordReader extends java.io.Closeable {
        Decoded next() throws IOException;
    }

    /** Hands out records in batches, counting them so that a restore can skip what was read. */
    private static final class BatchReader implements Reader<Decoded> {
        private final RecordReader records;
        private long read;

        BatchReader(RecordReader records) {
            this.records = records;
        }

        void skip(long count) throws IOException {
            while (read < count && records.next() != null) {
                read++;
            }
        }

        @Override
        public RecordIterator<Decoded> readBatch() throws IOException {
            Decoded[] batch = new Decoded[BATCH];
            int n = 0;
            Decoded next;
            while (n < BATCH && (next = records.next()) != null) {
                batch[n++] = next;
            }
            if (n == 0) {
                return null;
            }
            ArrayResultIterator<Decoded> iterator = new ArrayResultIterator<>();
            iterator.set(batch, n, CheckpointedPosition.NO_OFFSET, read);
            read += n;
            return iterator;
        }

        @Override
        public void close() throws IOException {
            records.close();
        }
    }

    /** JSON Lines: each non-blank line decoded as one record; a BOM on line 1 is dropped. */
    private static final class LineRecords implements RecordReader {
        private final InputStream in;
        private final String file;
        private final RecordDecoder decoder = new RecordDecoder();
        private final byte[] chunk = new byte[1 << 16];
        private int chunkPos;
        private int chunkEnd;
        private byte[] line = new byte[4096];
        private long lineNumber;
        private boolean eof;

        LineRecords(InputStream in, String file) {
            this.in = in;
            this.file = file;
        }

        @Override
        public Decoded next() throws IOException {
            while (true) {
                int length = readLine();
                if (length < 0) {
                    return null;
                }
                lineNumber++;
                int kept = Math.min(length, line.length);
                int start = 0;
                if (lineNumber == 1
                        && kept >= 3
                        && line[0] == (byte) 0xEF
                        && line[1] == (byte) 0xBB
                        && line[2] == (byte) 0xBF) {
                    start = 3;
                }
                int end = kept;
                if (end > start && line[end - 1] == '\r') {
                    end--;
                }
                if (length > MAX_LINE_BYTES) {
                    return Decoded.invalid(
                            new DeadLetterRecord(
                                    null,
                                    Arrays.copyOf(line, 1024),
                                    "LineTooLong",
                                    "line longer than " + MAX_LINE_BYTES + " bytes",
                                    file,
                                    0,
                                    lineNumber));
                }
                if (!isBlank(line, start, end)) {
                    return decoder.decode(
                            null, Arrays.copyOfRange(line, start, end), file, 0, lineNumber);
                }
            }
        }

        /**
         * Reads up to and excluding the next newline into {@code line}, keeping at most {@link
         * #MAX_LINE_BYTES} + 1 bytes; returns the line's full length, or -1 at the end of input.
         */
        private int readLine() throws IOException {
            int length = 0;
            boolean any = false;
            while (true) {
                if (chunkPos == chunkEnd) {
                    if (eof || !fill()) {
                        return any ? length : -1;
                    }
                }
                any = true;
                int newline = -1;
                for (int i = chunkPos; i < chunkEnd; i++) {
                    if (chunk[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                int to = newline < 0 ? chunkEnd : newline;
                append(length, to - chunkPos);
                length += to - chunkPos;
                chunkPos = newline < 0 ? chunkEnd : newline + 1;
                if (newline >= 0) {
                    return length;
                }
            }
        }

        private void append(int at, int count) {
            int room = MAX_LINE_BYTES + 1 - at;
            int n = Math.min(count, Math.max(room, 0));
            if (n <= 0) {
                return;
            }
            if (at + n > line.length) {
                line =
                        Arrays.copyOf(
                                line,
                                Math.min(Math.max(line.length * 2, at + n), MAX_LINE_BYTES + 1));
            }
            System.arraycopy(chunk, chunkPos, line, at, n);
        }

        private boolean fill() throws IOException {
            int n = in.read(chunk, 0, chunk.length);
            if (n <= 0) {
                eof = true;
                return false;
            }
            chunkPos = 0;
            chunkEnd = n;
            return true;
        }

        private static boolean isBlank(byte[] bytes, int from, int to) {
            for (int i = from; i < to; i++) {
                byte b = bytes[i];
                if (b != ' ' && b != '\t' && b != '\r') {
                    return false;
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /**
     * An Avro object container file of events: each record is re-encoded to the wire format and
     * decoded like a Kafka record, so that validation is the pipeline's own.
     */
    private static final class AvroRecords implements RecordReader {
        private final DataFileStream<Event> in;
        private final String file;
        private final RecordDecoder decoder = new RecordDecoder();
        private long recordNumber;

        AvroRecords(InputStream in, String file) throws IOException {
            try {
                this.in = new DataFileStream<>(in, new SpecificDatumReader<>(Event.class));
            } catch (IOException | RuntimeException e) {
                in.close();
                throw new IOException(file + " is not a readable Avro file of events: " + e, e);
            }
            this.file = file;
        }

        @Override
        public Decoded next() throws IOException {
            Event event;
            try {
                if (!in.hasNext()) {
                    return null;
                }
                event = in.next();
            } catch (RuntimeException e) {
                throw new IOException(
                        file + ": Avro record " + (recordNumber + 1) + " is unreadable: " + e, e);
            }
            recordNumber++;
            byte[] bytes;
            try {
                bytes = EventCodec.encode(event);
            } catch (RuntimeException e) {
                return Decoded.invalid(
                        new DeadLetterRecord(
                                null,
                                new byte[0],
                                e.getClass().getSimpleName(),
                                String.valueOf(e.getMessage()),
                                file,
                                0,
                                recordNumber));
            }
            return decoder.decode(null, bytes, file, 0, recordNumber);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
