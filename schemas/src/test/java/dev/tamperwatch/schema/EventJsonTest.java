package dev.tamperwatch.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tamperwatch.schema.avro.Event;
import dev.tamperwatch.schema.avro.EventKind;
import dev.tamperwatch.schema.avro.OutputPayload;
import dev.tamperwatch.schema.avro.PrincipalType;
import dev.tamperwatch.schema.avro.PromptPayload;
import dev.tamperwatch.schema.avro.PromptSource;
import dev.tamperwatch.schema.avro.Trust;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class EventJsonTest {

    /** A valid minimal PROMPT line with {@code %s} for more fields; single quotes for double. */
    private static final String PROMPT =
            "{'event_id':'0f8fad5b-d9cb-469f-a165-70867728950e','event_time':1780000016778,"
                    + "'kind':'PROMPT','tenant_id':'acme','principal':{'type':'USER','id':'u-17'}%s}";

    private static String prompt(String moreFields) {
        return String.format(PROMPT, moreFields).replace('\'', '"');
    }

    @ParameterizedTest
    @MethodSource("dev.tamperwatch.schema.TestEvents#all")
    void roundTripsEveryKindFullAndMinimal(Event event) throws Exception {
        String line = EventJson.write(event);

        assertThat(line).doesNotContain("\n").doesNotContain("null");
        assertThat(EventJson.parse(line)).isEqualTo(event);
    }

    @Test
    void parsesTheDocumentedExample() throws Exception {
        String line =
                "{\"event_id\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\",\"event_time\":1780000016778,"
                        + "\"kind\":\"OUTPUT\",\"tenant_id\":\"acme\","
                        + "\"principal\":{\"type\":\"AGENT\",\"id\":\"crm/agent-1\"},"
                        + "\"on_behalf_of\":{\"type\":\"USER\",\"id\":\"u-17\"},"
                        + "\"trace_id\":\"t-1\",\"in_reply_to\":\"0f8fad5b-d9cb-469f-a165-70867728950e\","
                        + "\"refused\":true,\"length_chars\":88,\"output_tokens\":22}";

        Event event = EventJson.parse(line);

        assertThat(event.getKind()).isEqualTo(EventKind.OUTPUT);
        assertThat(event.getEventTime()).isEqualTo(Instant.ofEpochMilli(1780000016778L));
        assertThat(event.getPrincipal().getType()).isEqualTo(PrincipalType.AGENT);
        assertThat(event.getOnBehalfOf().getId()).isEqualTo("u-17");
        assertThat(event.getTraceId()).isEqualTo("t-1");
        OutputPayload output = (OutputPayload) event.getPayload();
        assertThat(output.getRefused()).isTrue();
        assertThat(output.getLengthChars()).isEqualTo(88);
        assertThat(output.getOutputTokens()).isEqualTo(22);
        assertThat(output.getInReplyTo()).isEqualTo("0f8fad5b-d9cb-469f-a165-70867728950e");
    }

    @ParameterizedTest
    @CsvSource({
        "1780000016778, 2026-05-28T20:26:56.778Z",
        "'\"2026-05-28T20:26:56.778Z\"', 2026-05-28T20:26:56.778Z",
        "'\"2026-05-28T22:26:56.778+02:00\"', 2026-05-28T20:26:56.778Z",
        "'\"2026-05-28T20:26:56.778999Z\"', 2026-05-28T20:26:56.778Z",
        "'\"2026-05-28T20:26:56Z\"', 2026-05-28T20:26:56Z",
    })
    void acceptsEpochMillisAndIso8601Times(String json, String expected) throws Exception {
        String line = prompt("").replace("1780000016778", json);

        assertThat(EventJson.parse(line).getEventTime()).isEqualTo(Instant.parse(expected));
    }

    @Test
    void absentAndNullOptionalFieldsTakeTheirDefaults() throws Exception {
        Event event =
                EventJson.parse(
                        prompt(",'session_id':null,'model':null,'attributes':null,'trust':null"));

        assertThat(event.getSessionId()).isNull();
        assertThat(event.getModel()).isNull();
        assertThat(event.getAttributes()).isEmpty();
        PromptPayload payload = (PromptPayload) event.getPayload();
        assertThat(payload.getSource()).isEqualTo(PromptSource.USER_INPUT);
        assertThat(payload.getTrust()).isEqualTo(Trust.TRUSTED);
        assertThat(payload.getEmbedding()).isNull();
    }

    @Test
    void writesTimeAsEpochMillisAndLeavesOutNulls() {
        String line = EventJson.write(TestEvents.minimalOutput());

        assertThat(line)
                .isEqualTo(
                        "{\"event_id\":\"7c9e6679-7425-40de-944b-e07fc1f90ae7\","
                                + "\"event_time\":1777630530123,\"kind\":\"OUTPUT\","
                                + "\"tenant_id\":\"acme\",\"principal\":{\"type\":\"USER\","
                                + "\"id\":\"u-17\"},\"refused\":false}");
    }

    @Test
    void nonFiniteEmbeddingValuesSurviveTheRoundTripForTheValidatorToReject() throws Exception {
        Event event = TestEvents.copy(TestEvents.fullPrompt());
        List<Float> embedding = ((PromptPayload) event.getPayload()).getEmbedding();
        embedding.set(1, Float.NaN);
        embedding.set(2, Float.NEGATIVE_INFINITY);

        Event parsed = EventJson.parse(EventJson.write(event));

        assertThat(((PromptPayload) parsed.getPayload()).getEmbedding()).isEqualTo(embedding);
        assertThatThrownBy(() -> TestEvents.VALIDATOR.validate(parsed))
                .hasMessage("payload.embedding[1]: NaN is not allowed");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '"',
            textBlock =
                    """
            not JSON                  | {'event_id':                                  | <json>              | not valid JSON
            trailing tokens           | {'event_id':'x'} {}                           | <json>              | not valid JSON
            array                     | []                                            | <json>              | expected a JSON object, was array
            blank                     | "   "                                         | <json>              | no JSON object
            missing event_id          | {}                                            | event_id            | required field is missing
            null tenant               | {'event_id':'x','event_time':1,'kind':'PROMPT','tenant_id':null} | tenant_id | must not be null
            duplicate field           | %s,'kind':'OUTPUT'                            | <json>              | Duplicate field 'kind'
            event_id a number         | {'event_id':17}                               | event_id            | expected a string, was number
            time a boolean            | {'event_id':'x','event_time':true}            | event_time          | expected epoch milliseconds or an ISO-8601 string, was boolean
            time not ISO              | {'event_id':'x','event_time':'yesterday'}     | event_time          | 'yesterday' is neither epoch milliseconds nor an ISO-8601
            time fractional           | {'event_id':'x','event_time':1.5}             | event_time          | expected an integer, was 1.5
            unknown kind              | {'event_id':'x','event_time':1,'kind':'CHAT'} | kind                | unknown value 'CHAT', allowed: PROMPT, OUTPUT, AGENT_ACTION
            unknown principal type    | %s,'on_behalf_of':{'type':'ROBOT','id':'r'}   | on_behalf_of.type   | unknown value 'ROBOT', allowed: USER, APPLICATION, AGENT, SERVICE, SYSTEM
            principal a string        | %s,'on_behalf_of':'u-17'                      | on_behalf_of        | expected an object, was string
            unknown principal field   | %s,'on_behalf_of':{'type':'USER','id':'u','x':1} | on_behalf_of.x   | not a field of Principal
            agent without id          | %s,'agent':{'name':'n'}                       | agent.id            | required field is missing
            unknown model field       | %s,'model':{'sha':'x'}                        | model.sha           | not a field of ModelRef
            attribute not a string    | %s,'attributes':{'n':1}                       | attributes.n        | expected a string, was number
            length a string           | %s,'length_chars':'5'                         | payload.length_chars | expected an integer, was string
            length out of int range   | %s,'length_chars':3000000000                  | payload.length_chars | 3000000000 is out of int range
            unknown source            | %s,'source':'RUMOUR'                          | payload.source      | unknown value 'RUMOUR', allowed: USER_INPUT, SYSTEM_PROMPT
            embedding not an array    | %s,'embedding':'0.1'                          | payload.embedding   | expected an array of numbers, was string
            embedding item a string   | %s,'embedding':[0.1,'x']                      | payload.embedding[1] | expected a number, was string
            embedding item too large  | %s,'embedding':[0.1,1e40]                     | payload.embedding[1] | 1.0E40 is out of float range
            field of another kind     | %s,'tool_name':'search'                       | tool_name           | not a field of a PROMPT event
            unknown field             | %s,'tenantId':'acme'                          | tenantId            | not a field of a PROMPT event
            """)
    void namesTheFieldOfEveryProblem(
            String description, String line, String field, String messageFragment) {
        String json =
                line.contains("%s") ? prompt(line.replace("%s", "")) : line.replace('\'', '"');

        assertThatThrownBy(() -> EventJson.parse(json))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith(field + ": ")
                .hasMessageContaining(messageFragment)
                .extracting(e -> ((MalformedEventException) e).field())
                .isEqualTo(field);
    }

    @Test
    void namesPayloadFieldsOfOtherKinds() {
        String output =
                prompt(",'refused':'yes'").replace("\"kind\":\"PROMPT\"", "\"kind\":\"OUTPUT\"");
        String action =
                prompt(",'step':1").replace("\"kind\":\"PROMPT\"", "\"kind\":\"AGENT_ACTION\"");
        String status =
                prompt(",'tool_name':'t','status':'MAYBE'")
                        .replace("\"kind\":\"PROMPT\"", "\"kind\":\"AGENT_ACTION\"");
        String keys =
                prompt(",'tool_name':'t','argument_keys':['a',2]")
                        .replace("\"kind\":\"PROMPT\"", "\"kind\":\"AGENT_ACTION\"");

        assertThatThrownBy(() -> EventJson.parse(output))
                .hasMessage("payload.refused: expected a boolean, was string");
        assertThatThrownBy(() -> EventJson.parse(action))
                .hasMessage("payload.tool_name: required field is missing");
        assertThatThrownBy(() -> EventJson.parse(status))
                .hasMessage("payload.status: unknown value 'MAYBE', allowed: OK, ERROR, DENIED");
        assertThatThrownBy(() -> EventJson.parse(keys))
                .hasMessage("payload.argument_keys[1]: expected a string, was number");
    }
}
