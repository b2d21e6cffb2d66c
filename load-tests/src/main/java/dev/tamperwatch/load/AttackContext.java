package dev.tamperwatch.load;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * What an {@link AttackScenario} is injected into.
 *
 * @param population the identities and agents of the normal traffic
 * @param start when the attack begins
 * @param incidentId the incident id its labels carry
 * @param random the only source of randomness the scenario may use
 * @param attackedKeys keys of entities earlier attacks of the plan target
 */
public record AttackContext(
        Population population,
        Instant start,
        String incidentId,
        SplittableRandom random,
        Set<String> attackedKeys) {

    public AttackContext {
        Objects.requireNonNull(population, "population");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(incidentId, "incidentId");
        Objects.requireNonNull(random, "random");
        attackedKeys = Set.copyOf(attackedKeys);
    }

    /**
     * A uniformly drawn identity not yet attacked.
     *
     * @throws IllegalArgumentException if every identity is attacked already
     */
    public Identity randomIdentity() {
        return pick(population.identities(), identity -> true, Identity::key, "identity");
    }

    /**
     * The identity with that key, or a {@link #randomIdentity()} when the key is null.
     *
     * @throws java.util.NoSuchElementException if no identity has that key
     */
    public Identity identityOrRandom(String key) {
        return key == null ? randomIdentity() : population.identity(key);
    }

    /**
     * The label of an attack on one entity from {@link #start()} for {@code duration}, under this
     * context's incident id.
     */
    public Label label(String scenario, Label.KeyType keyType, String key, Duration duration) {
        return new Label(incidentId, scenario, keyType, key, start, start.plus(duration));
    }

    /**
     * A uniformly drawn agent, not yet attacked, that satisfies {@code eligible}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public Agent randomAgent(Predicate<Agent> eligible) {
        return pick(population.agents(), eligible, Agent::key, "agent");
    }

    private <T> T pick(
            List<T> entities, Predicate<T> eligible, Function<T, String> key, String what) {
        List<T> candidates =
                entities.stream()
                        .filter(entity -> !attackedKeys.contains(key.apply(entity)))
                        .filter(eligible)
                        .collect(Collectors.toList());
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no eligible " + what + " left to attack");
        }
        return candidates.get(random.nextInt(candidates.size()));
    }
}
