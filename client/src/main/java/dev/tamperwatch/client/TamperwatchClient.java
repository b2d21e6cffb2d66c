package dev.tamperwatch.client;

import dev.tamperwatch.schema.EventCodec;
import dev.tamperwatch.schema.EventValidator;
import dev.tamperwatch.schema.MalformedEventException;
import dev.tamperwatch.schema.Topics;
import dev.tamperwatch.schema.avro.Event;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes the prompts, model outputs and agent actions of one application to Tamperwatch.
 *
 * <pre>{@code
 * try (TamperwatchClient tw = TamperwatchClient.builder()
 *         .bootstrapServers("localhost:9092").tenant("acme").application("crm").build()) {
 *     Event prompt = tw.prompt(Call.prompt(Actor.user("u-17"))
 *             .text(userText).source(PromptSource.USER_INPUT).trust(Trust.TRUSTED)
 *             .trace(traceId, spanId).model("openai", "gpt-4o"));
 *     tw.output(Call.output(Actor.user("u-17")).inReplyTo(prompt)
 *             .text(answer).outputTokens(212).latency(Duration.ofMillis(840)));
 *     tw.agentAction(Call.action(Actor.agent("crm/agent-1"), "send_email")
 *             .onBehalfOf(Actor.user("u-17")).arguments(Map.of("to", "bob@example.com"))
 *             .target("bob@example.com").causedBy(prompt).step(0));
 * }
 * }</pre>
 *
 * <p>Each call builds an event with a fresh random UUID and the clock's current time (unless the
 * call sets one), validates it with {@link EventValidator}, and sends it asynchronously to the
 * topic ({@link Topics#EVENTS} by default) with key {@code tenant/principal} and an {@link
 * EventCodec} value; the built event is returned so that its {@code event_id} can be referenced by
 * {@code in_reply_to} and {@code caused_by}. Raw text and tool arguments are hashed locally and
 * never sent unless {@link Builder#sendRawContent(boolean)} is enabled, in which case they go into
 * the attributes {@value #CONTENT_ATTRIBUTE} and {@value #ARGUMENTS_ATTRIBUTE}.
 *
 * <p>Thread-safe. Delivery failures are reported to the handler set with {@link
 * Builder#onSendFailure} (by default a warning through {@link System.Logger}).
 */
public final class TamperwatchClient implements AutoCloseable {

    /** Attribute carrying the raw prompt or output text when raw content is sent. */
    public static final String CONTENT_ATTRIBUTE = "content";

    /** Attribute carrying the canonical JSON tool arguments when raw content is sent. */
    public static final String ARGUMENTS_ATTRIBUTE = "arguments";

    private final Producer<String, byte[]> producer;
    private final boolean ownsProducer;
    private final String topic;
    private final String tenant;
    private final String application;
    private final Clock clock;
    private final boolean sendRawContent;
    private final EventValidator validator;
    private final BiConsumer<Event, Exception> onSendFailure;

    private TamperwatchClient(Builder builder, Producer<String, byte[]> producer, boolean owns) {
        this.producer = producer;
        this.ownsProducer = owns;
        this.topic = builder.topic;
        this.tenant = builder.tenant;
        this.application = builder.application;
        this.clock = builder.clock;
        this.sendRawContent = builder.sendRawContent;
        this.validator = new EventValidator().withClock(builder.clock);
        this.onSendFailure = builder.onSendFailure;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Publishes a prompt.
     *
     * @return the event sent
     * @throws IllegalArgumentException if the event is invalid; the message names the field
     */
    public Event prompt(PromptCall call) {
        return publish(call);
    }

    /**
     * Publishes a model output.
     *
     * @return the event sent
     * @throws IllegalArgumentException if the event is invalid; the message names the field
     */
    public Event output(OutputCall call) {
        return publish(call);
    }

    /**
     * Publishes an agent action.
     *
     * @return the event sent
     * @throws IllegalArgumentException if the event is invalid; the message names the field
     */
    public Event agentAction(ActionCall call) {
        return publish(call);
    }

    private Event publish(Call<?> call) {
        Event event =
                call.toEvent(
                        UUID.randomUUID().toString(),
                        clock.instant().truncatedTo(ChronoUnit.MILLIS),
                        tenant,
                        application,
                        sendRawContent);
        try {
            validator.validate(event);
        } catch (MalformedEventException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        ProducerRecord<String, byte[]> record =
                new ProducerRecord<>(
                        topic,
                        Topics.eventKey(tenant, event.getPrincipal().getId()),
                        EventCodec.encode(event));
        producer.send(
                record,
                (metadata, error) -> {
                    if (error != null) {
                        onSendFailure.accept(event, error);
                    }
                });
        return event;
    }

    /** Blocks until every event handed over so far is sent or has failed. */
    public void flush() {
        producer.flush();
    }

    /**
     * Sends what is pending, then closes the producer this client created; a producer passed to
     * {@link Builder#build(Producer)} is flushed but left open.
     */
    @Override
    public void close() {
        if (ownsProducer) {
            producer.close();
        } else {
            producer.flush();
        }
    }

    /** Settings of a {@link TamperwatchClient}; {@link #tenant} is required. */
    public static final class Builder {

        private String bootstrapServers;
        private String tenant;
        private String application;
        private String topic = Topics.EVENTS;
        private Clock clock = Clock.systemUTC();
        private boolean sendRawContent;
        private BiConsumer<Event, Exception> onSendFailure = Builder::logSendFailure;
        private final Map<String, Object> producerProperties = new HashMap<>();

        private Builder() {}

        /** Kafka {@code bootstrap.servers}, e.g. {@code broker-1:9092,broker-2:9092}. */
        public Builder bootstrapServers(String bootstrapServers) {
            this.bootstrapServers = bootstrapServers;
            return this;
        }

        /** The tenant every event belongs to. Required. */
        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        /** The {@code application_id} of every event. */
        public Builder application(String application) {
            this.application = application;
            return this;
        }

        /** Topic to publish to; default {@link Topics#EVENTS}. */
        public Builder topic(String topic) {
            this.topic = topic;
            return this;
        }

        /** Source of event times and of "now" for validation; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Whether raw text and tool arguments are sent as attributes {@value
         * TamperwatchClient#CONTENT_ATTRIBUTE} and {@value TamperwatchClient#ARGUMENTS_ATTRIBUTE};
         * default false. Enable only where the content may leave the application.
         */
        public Builder sendRawContent(boolean sendRawContent) {
            this.sendRawContent = sendRawContent;
            return this;
        }

        /**
         * Called from the producer's I/O thread for every event that could not be delivered. Must
         * be quick and must not throw.
         */
        public Builder onSendFailure(BiConsumer<Event, Exception> handler) {
            this.onSendFailure = handler;
            return this;
        }

        /**
         * A Kafka producer setting, applied over the defaults: {@code enable.idempotence=true},
         * {@code acks=all}, {@code compression.type=lz4}, {@code linger.ms=5}.
         */
        public Builder producerProperty(String key, Object value) {
            producerProperties.put(key, value);
            return this;
        }

        /**
         * A client with its own {@link KafkaProducer}, closed by {@link TamperwatchClient#close}.
         *
         * @throws IllegalStateException if tenant or bootstrap servers are missing
         */
        public TamperwatchClient build() {
            checkSettings();
            if (!producerConfig().containsKey(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)) {
                throw new IllegalStateException("bootstrapServers is required");
            }
            return new TamperwatchClient(
                    this,
                    new KafkaProducer<>(
                            producerConfig(), new StringSerializer(), new ByteArraySerializer()),
                    true);
        }

        /**
         * A client that sends through {@code producer} (e.g. a shared one, or a {@code
         * MockProducer} in tests) and leaves it open on close; producer settings are ignored.
         *
         * @throws IllegalStateException if tenant is missing
         */
        public TamperwatchClient build(Producer<String, byte[]> producer) {
            checkSettings();
            return new TamperwatchClient(this, Objects.requireNonNull(producer, "producer"), false);
        }

        private void checkSettings() {
            if (tenant == null || tenant.isBlank()) {
                throw new IllegalStateException("tenant is required");
            }
            if (topic == null || topic.isBlank()) {
                throw new IllegalStateException("topic must not be blank");
            }
            Objects.requireNonNull(clock, "clock");
            Objects.requireNonNull(onSendFailure, "onSendFailure");
        }

        /** The configuration {@link #build()} gives its {@link KafkaProducer}. */
        Map<String, Object> producerConfig() {
            Map<String, Object> config = new HashMap<>();
            if (bootstrapServers != null) {
                config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            }
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            config.putAll(producerProperties);
            return config;
        }

        private static void logSendFailure(Event event, Exception error) {
            System.getLogger(TamperwatchClient.class.getName())
                    .log(
                            System.Logger.Level.WARNING,
                            "event " + event.getEventId() + " was not published: " + error,
                            error);
        }
    }
}
