package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.io.DeadLetterRecord;
import dev.tamperwatch.job.io.Decoded;
import dev.tamperwatch.job.io.DecodingDeserializer;
import dev.tamperwatch.schema.avro.Event;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.enumerate.FileEnumerator;
import org.apache.flink.connector.file.src.enumerate.NonSplittingRecursiveEnumerator;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What a backtest replays, resolved and checked before the job starts: event files (JSON Lines or
 * Avro object container files of {@link Event}, or a directory of them read in name order) or a
 * fixed offset range of a Kafka topic. Knows how many records it holds, for progress.
 */
public sealed interface EventInput {

    /** The prefix that marks a Kafka topic: {@code kafka:tw.events.v1}. */
    String KAFKA_PREFIX = "kafka:";

    /** The bounded Flink source of decoded records. */
    Source<Decoded, ?, ?> source();

    /** Records in the input (events and malformed ones), or -1 if unknown. */
    long totalRecords();

    /** A one-line description, e.g. {@code 3 files in data/} or {@code kafka:t, 4 partitions}. */
    String description();

    /** Event-time bounds to keep, [from, to) epoch ms; Long.MIN/MAX_VALUE when open. */
    default long fromEventTime() {
        return Long.MIN_VALUE;
    }

    default long toEventTime() {
        return Long.MAX_VALUE;
    }

    /** Where a dead letter came from, e.g. {@code events.jsonl:17} or {@code t/0@42}. */
    String origin(DeadLetterRecord letter);

    /**
     * Resolves {@code --events}: {@code kafka:TOPIC} or a file or directory path.
     *
     * @param from lower bound or null: for files an event time, for Kafka a record time or offset
     * @param to upper bound (exclusive) or null
     * @throws BacktestInputException for a missing or unreadable path, a directory without event
     *     files, an offset bound on files, an unreachable broker or an unknown topic
     */
    static EventInput resolve(
            String events,
            TimeArgument from,
            TimeArgument to,
            String bootstrapServers,
            Map<String, String> kafkaProperties) {
        if (events.startsWith(KAFKA_PREFIX)) {
            String topic = events.substring(KAFKA_PREFIX.length());
            if (topic.isBlank()) {
                throw new BacktestInputException(
                        "--events: write kafka:TOPIC, e.g. kafka:tw.events.v1");
            }
            return KafkaInput.resolve(topic, from, to, bootstrapServers, kafkaProperties);
        }
        for (TimeArgument bound : new TimeArgument[] {from, to}) {
            if (bound != null && bound.isOffset()) {
                throw new BacktestInputException(
                        (bound == from ? "--from" : "--to")
                                + ": offset bounds apply to kafka: sources only; give a time to"
                                + " replay part of a file");
            }
        }
        return FileInput.resolve(
                Path.of(events),
                from == null ? Long.MIN_VALUE : from.epochMillis(),
                to == null ? Long.MAX_VALUE : to.epochMillis());
    }

    /** Event files read one after the other in name order. */
    record FileInput(
            List<Path> files,
            long totalRecords,
            String description,
            long fromEventTime,
            long toEventTime)
            implements EventInput {

        public FileInput {
            files = List.copyOf(files);
        }

        static FileInput resolve(Path path, long from, long to) {
            if (!Files.exists(path)) {
                throw new BacktestInputException(
                        "--events: cannot read " + path + ": no such file");
            }
            List<Path> files;
            String description;
            if (Files.isDirectory(path)) {
                try (Stream<Path> listing = Files.list(path)) {
                    files =
                            listing.filter(Files::isRegularFile)
                                    .filter(p -> !p.getFileName().toString().startsWith("."))
                                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                                    .toList();
                } catch (IOException e) {
                    throw new BacktestInputException(
                            "--events: cannot list " + path + ": " + LabelsFile.describe(e), e);
                }
                if (files.isEmpty()) {
                    throw new BacktestInputException(
                            "--events: directory " + path + " holds no event files");
                }
                description = files.size() + " files in " + path;
            } else {
                files = List.of(path);
                description = path.toString();
            }
            long total = 0;
            for (Path file : files) {
                total += countRecords(file);
            }
            return new FileInput(files, total, description, from, to);
        }

        /**
         * Records in one file: non-blank lines of JSON Lines, or the record count of an Avro
         * container file's blocks (read without decoding them).
         */
        static long countRecords(Path file) {
            try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
                in.mark(4);
                byte[] head = in.readNBytes(4);
                in.reset();
                if (EventFileFormat.isAvroContainer(head, head.length)) {
                    long count = 0;
                    try (DataFileStream<Object> avro =
                            new DataFileStream<>(in, new GenericDatumReader<>())) {
                        while (avro.hasNext()) {
                            count += avro.getBlockCount();
                            avro.nextBlock();
                        }
                    } catch (RuntimeException e) {
                        throw new IOException("not a readable Avro file: " + e.getMessage(), e);
                    }
                    return count;
                }
                long lines = 0;
                boolean content = false;
                byte[] buffer = new byte[1 << 16];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    for (int i = 0; i < n; i++) {
                        byte b = buffer[i];
                        if (b == '\n') {
                            if (content) {
                                lines++;
                            }
                            content = false;
                        } else if (b != ' ' && b != '\t' && b != '\r') {
                            content = true;
                        }
                    }
                }
                return content ? lines + 1 : lines;
            } catch (IOException e) {
                throw new BacktestInputException(
                        "--events: cannot read " + file + ": " + LabelsFile.describe(e), e);
            }
        }

        @Override
        public Source<Decoded, ?, ?> source() {
            org.apache.flink.core.fs.Path[] paths =
                    files.stream()
                            .map(p -> new org.apache.flink.core.fs.Path(p.toAbsolutePath().toUri()))
                            .toArray(org.apache.flink.core.fs.Path[]::new);
            FileEnumerator.Provider everyFile =
                    () -> new NonSplittingRecursiveEnumerator(p -> true);
            return FileSource.forBulkFileFormat(new EventFileFormat(), paths)
                    .setSplitAssigner(SortedSplitAssigner.provider())
                    .setFileEnumerator(everyFile)
                    .build();
        }

        @Override
        public String origin(DeadLetterRecord letter) {
            return letter.sourceTopic + ":" + letter.sourceOffset;
        }
    }

    /** A fixed offset range of every partition of a topic. */
    record KafkaInput(
            String topic,
            String bootstrapServers,
            Map<String, String> properties,
            Map<Integer, Long> startOffsets,
            Map<Integer, Long> stopOffsets,
            long totalRecords)
            implements EventInput {

        private static final Duration TIMEOUT = Duration.ofSeconds(20);

        public KafkaInput {
            properties = Map.copyOf(properties);
            startOffsets = new TreeMap<>(startOffsets);
            stopOffsets = new TreeMap<>(stopOffsets);
        }

        static KafkaInput resolve(
                String topic,
                TimeArgument from,
                TimeArgument to,
                String bootstrapServers,
                Map<String, String> kafkaProperties) {
            Properties props = new Properties();
            props.putAll(kafkaProperties);
            props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
            props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
            props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2);
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
                Map<String, List<PartitionInfo>> topics = consumer.listTopics(TIMEOUT);
                List<PartitionInfo> infos = topics.get(topic);
                if (infos == null || infos.isEmpty()) {
                    throw new BacktestInputException(
                            "--events: topic '" + topic + "' not found on " + bootstrapServers);
                }
                List<TopicPartition> partitions = new ArrayList<>();
                infos.forEach(i -> partitions.add(new TopicPartition(topic, i.partition())));
                Map<TopicPartition, Long> beginning =
                        consumer.beginningOffsets(partitions, TIMEOUT);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
                Map<TopicPartition, Long> start = bound(consumer, from, beginning, end, beginning);
                Map<TopicPartition, Long> stop = bound(consumer, to, beginning, end, end);
                Map<Integer, Long> startOffsets = new LinkedHashMap<>();
                Map<Integer, Long> stopOffsets = new LinkedHashMap<>();
                long total = 0;
                for (TopicPartition tp : partitions) {
                    long s = start.get(tp);
                    long e = Math.max(s, stop.get(tp));
                    startOffsets.put(tp.partition(), s);
                    stopOffsets.put(tp.partition(), e);
                    total += e - s;
                }
                return new KafkaInput(
                        topic, bootstrapServers, kafkaProperties, startOffsets, stopOffsets, total);
            } catch (KafkaException e) {
                throw new BacktestInputException(
                        "--events: cannot read topic '"
                                + topic
                                + "' from Kafka at "
                                + bootstrapServers
                                + ": "
                                + e.getMessage(),
                        e);
            }
        }

        private static Map<TopicPartition, Long> bound(
                KafkaConsumer<byte[], byte[]> consumer,
                TimeArgument bound,
                Map<TopicPartition, Long> beginning,
                Map<TopicPartition, Long> end,
                Map<TopicPartition, Long> open) {
            if (bound == null) {
                return open;
            }
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            if (bound.isOffset()) {
                beginning.forEach(
                        (tp, first) ->
                                offsets.put(
                                        tp,
                                        Math.max(first, Math.min(bound.offset(), end.get(tp)))));
                return offsets;
            }
            Map<TopicPartition, Long> query = new LinkedHashMap<>();
            beginning.keySet().forEach(tp -> query.put(tp, bound.epochMillis()));
            Map<TopicPartition, OffsetAndTimestamp> found =
                    consumer.offsetsForTimes(query, TIMEOUT);
            beginning
                    .keySet()
                    .forEach(
                            tp -> {
                                OffsetAndTimestamp at = found.get(tp);
                                offsets.put(tp, at == null ? end.get(tp) : at.offset());
                            });
            return offsets;
        }

        @Override
        public Source<Decoded, ?, ?> source() {
            Map<TopicPartition, Long> start = new LinkedHashMap<>();
            Map<TopicPartition, Long> stop = new LinkedHashMap<>();
            startOffsets.forEach((p, o) -> start.put(new TopicPartition(topic, p), o));
            stopOffsets.forEach((p, o) -> stop.put(new TopicPartition(topic, p), o));
            Properties props = new Properties();
            props.putAll(properties);
            props.put("commit.offsets.on.checkpoint", "false");
            return KafkaSource.<Decoded>builder()
                    .setBootstrapServers(bootstrapServers)
                    .setTopics(topic)
                    .setGroupId("tamperwatch-backtest")
                    .setProperties(props)
                    .setStartingOffsets(OffsetsInitializer.offsets(start))
                    .setBounded(OffsetsInitializer.offsets(stop))
                    .setDeserializer(new DecodingDeserializer())
                    .build();
        }

        @Override
        public String description() {
            return KAFKA_PREFIX
                    + topic
                    + " on "
                    + bootstrapServers
                    + ", "
                    + startOffsets.size()
                    + " partitions, offsets "
                    + startOffsets
                    + " to "
                    + stopOffsets;
        }

        @Override
        public String origin(DeadLetterRecord letter) {
            return letter.sourceTopic + "/" + letter.sourcePartition + "@" + letter.sourceOffset;
        }
    }
}
