package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.ActionStatus;
import dev.tamperwatch.schema.avro.Event;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * The normal runs of one agent, arriving by the daily cycle (runs may overlap). A run serves a
 * uniformly drawn user and makes 2 to 6 calls, each to a tool of the agent's fixed set with its
 * fixed probability and one of that tool's fixed targets; a call's result is fed back as untrusted
 * input with the tool's result probability, and later calls are caused by the request and the
 * latest such input. Only successful calls return results. Calls fail with 2.5% and are denied with
 * 0.5% probability.
 */
final class AgentActor extends Actor {

    private static final double ERROR_PROBABILITY = 0.025;
    private static final double DENIED_PROBABILITY = 0.005;

    private final Agent agent;
    private final Sha256 sha256;
    private final SplittableRandom random;
    private final SplittableRandom embeddingRandom;
    private final double[] cumulativeToolProbability;
    private final double runsPerHour;

    AgentActor(
            Agent agent,
            TrafficProfile profile,
            Sha256 sha256,
            SplittableRandom random,
            SplittableRandom embeddingRandom) {
        this.agent = agent;
        this.sha256 = sha256;
        this.random = random;
        this.embeddingRandom = embeddingRandom;
        this.cumulativeToolProbability =
                Sampling.cumulative(
                        agent.tools().stream().mapToDouble(ToolUse::probability).toArray());
        this.runsPerHour = profile.runsPerAgentHour() * agent.rateMultiplier();
        this.nextMillis =
                DailyCycle.OFFICE_HOURS.nextArrival(
                        random, profile.start().toEpochMilli() - 1, runsPerHour);
    }

    @Override
    void act(Consumer<Event> out) {
        Identity user = agent.users().get(random.nextInt(agent.users().size()));
        AgentRun run = new AgentRun(agent, user, nextMillis, sha256, random, embeddingRandom, out);
        Event request = run.request();
        Event latestInput = null;
        int calls = 2 + random.nextInt(5);
        for (int i = 0; i < calls; i++) {
            ToolUse use =
                    agent.tools()
                            .get(Sampling.pick(cumulativeToolProbability, random.nextDouble()));
            List<String> causedBy =
                    latestInput == null
                            ? List.of(request.getEventId())
                            : List.of(request.getEventId(), latestInput.getEventId());
            ActionStatus status = status();
            Event call =
                    run.call(
                            use.tool(),
                            use.targets().get(random.nextInt(use.targets().size())),
                            status,
                            causedBy);
            if (status == ActionStatus.OK && random.nextDouble() < use.tool().resultProbability()) {
                latestInput = run.untrustedInput(call, use.tool().resultSource());
            }
        }
        run.finish(random.nextDouble() < agent.refusalProbability());
        nextMillis = DailyCycle.OFFICE_HOURS.nextArrival(random, nextMillis, runsPerHour);
    }

    private ActionStatus status() {
        double draw = random.nextDouble();
        if (draw < DENIED_PROBABILITY) {
            return ActionStatus.DENIED;
        }
        return draw < DENIED_PROBABILITY + ERROR_PROBABILITY ? ActionStatus.ERROR : ActionStatus.OK;
    }
}
