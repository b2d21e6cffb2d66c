package dev.tamperwatch.load;

/**
 * A kind of attack that can be injected into normal traffic, e.g. a jailbreak campaign or an
 * indirect prompt injection.
 *
 * <p>Implementations are immutable descriptions; {@link #inject} binds one to a population and an
 * instant. It must draw only from {@link AttackContext#random()} so that a plan is reproducible.
 */
public interface AttackScenario {

    /**
     * The scenario name written in labels, lower-case with dashes, e.g. {@code jailbreak-campaign}.
     */
    String name();

    /**
     * Plans the attack: picks its target (skipping {@link AttackContext#attackedKeys()} when
     * choosing at random), fixes its timeline from {@link AttackContext#start()} and returns its
     * events and labels.
     *
     * @throws IllegalArgumentException if the population offers no suitable target
     */
    Injection inject(AttackContext context);
}
