package dev.tamperwatch.load;

import dev.tamperwatch.schema.avro.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Normal traffic from {@link TrafficProfile#start()}, with attacks injected at chosen offsets from
 * the end of the history, and the ground truth of every attack. Attacks add events, and may alter
 * normal ones (a poisoned model's outputs).
 *
 * <p>Attacks are planned when the plan is built: incident ids are {@code <scenario>-<n>} with n
 * counting attacks from 1 in the order added, and a scenario that picks its target at random skips
 * targets of earlier attacks. Normal traffic is the same with or without attacks.
 *
 * <pre>{@code
 * ScenarioPlan plan = ScenarioPlan.builder(TrafficProfile.defaults(42))
 *         .attack(Duration.ofMinutes(10), JailbreakCampaign.randomIdentity())
 *         .attack(Duration.ofMinutes(30), PromptInjection.randomAgent())
 *         .build();
 * Iterator<Event> events = plan.events(plan.attacksEnd().plus(Duration.ofMinutes(30)));
 * }</pre>
 */
public final class ScenarioPlan {

    private static final long ATTACK_STREAM = 0xA24BAED4963EE407L;

    private final TrafficGenerator traffic;
    private final List<Injection> injections;

    private ScenarioPlan(TrafficGenerator traffic, List<Injection> injections) {
        this.traffic = traffic;
        this.injections = List.copyOf(injections);
    }

    /** A builder over the profile's normal traffic. */
    public static Builder builder(TrafficProfile profile) {
        return new Builder(profile);
    }

    public TrafficProfile profile() {
        return traffic.profile();
    }

    public Population population() {
        return traffic.population();
    }

    /** End of the normal history; attack offsets count from here. */
    public Instant historyEnd() {
        return profile().historyEnd();
    }

    /** The latest label end, or {@link #historyEnd()} without attacks. */
    public Instant attacksEnd() {
        return labels().stream().map(Label::end).max(Instant::compareTo).orElse(historyEnd());
    }

    /** The planned attacks in the order added. */
    public List<Injection> injections() {
        return injections;
    }

    /** Every label of every attack. */
    public List<Label> labels() {
        List<Label> labels = new ArrayList<>();
        injections.forEach(injection -> labels.addAll(injection.labels()));
        return labels;
    }

    /** The attacked entity and window of each attack, in the order added. */
    public List<Label> targets() {
        return injections.stream().map(Injection::target).toList();
    }

    /** A fresh, unbounded stream: normal traffic with the attacks merged in event-time order. */
    public Iterator<Event> events() {
        return merge(traffic.events(), Long.MAX_VALUE);
    }

    /** As {@link #events()}, up to, excluding, {@code end}. */
    public Iterator<Event> events(Instant end) {
        return merge(traffic.events(end), end.toEpochMilli());
    }

    private Iterator<Event> merge(Iterator<Event> normal, long endMillis) {
        List<Iterator<Event>> sources = new ArrayList<>();
        sources.add(altered(normal));
        injections.forEach(injection -> sources.add(injection.events()));
        return new MergedEvents(sources, endMillis);
    }

    /** Normal traffic as the planned attacks alter it. */
    private Iterator<Event> altered(Iterator<Event> normal) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return normal.hasNext();
            }

            @Override
            public Event next() {
                Event event = normal.next();
                for (Injection injection : injections) {
                    event = injection.alter(event);
                }
                return event;
            }
        };
    }

    /** Collects attacks; {@link #build()} plans them. */
    public static final class Builder {

        private record Scheduled(Duration afterHistory, AttackScenario scenario) {}

        private final TrafficProfile profile;
        private final List<Scheduled> attacks = new ArrayList<>();

        private Builder(TrafficProfile profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
        }

        /**
         * Injects {@code scenario} starting {@code afterHistory} after {@link
         * TrafficProfile#historyEnd()}; a negative offset starts it inside the history, as slow
         * attacks that build up over days do.
         *
         * @throws IllegalArgumentException if the attack would start before the traffic
         */
        public Builder attack(Duration afterHistory, AttackScenario scenario) {
            if (profile.historyEnd().plus(afterHistory).isBefore(profile.start())) {
                throw new IllegalArgumentException("an attack cannot start before the traffic");
            }
            attacks.add(new Scheduled(afterHistory, Objects.requireNonNull(scenario, "scenario")));
            return this;
        }

        /**
         * Plans every attack.
         *
         * @throws IllegalArgumentException if a scenario finds no suitable target
         */
        public ScenarioPlan build() {
            TrafficGenerator traffic = new TrafficGenerator(profile);
            SplittableRandom streams = new SplittableRandom(profile.seed() ^ ATTACK_STREAM);
            Set<String> attacked = new HashSet<>();
            List<Injection> injections = new ArrayList<>();
            for (int i = 0; i < attacks.size(); i++) {
                Scheduled attack = attacks.get(i);
                Injection injection =
                        attack.scenario()
                                .inject(
                                        new AttackContext(
                                                traffic.population(),
                                                profile.historyEnd().plus(attack.afterHistory()),
                                                attack.scenario().name() + "-" + (i + 1),
                                                streams.split(),
                                                attacked));
                attacked.add(injection.target().key());
                injections.add(injection);
            }
            return new ScenarioPlan(traffic, injections);
        }
    }
}
