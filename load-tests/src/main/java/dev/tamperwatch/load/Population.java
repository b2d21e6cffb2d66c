package dev.tamperwatch.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.commons.math3.distribution.BetaDistribution;
import org.apache.commons.math3.distribution.GammaDistribution;
import org.apache.commons.math3.random.RandomGenerator;
import org.apache.commons.math3.random.Well19937c;

/**
 * The identities and agents of a {@link TrafficProfile}, with every trait drawn once from its seed.
 *
 * <p>Identities pick an application with Zipf weights (1, 1/2, 1/3, ...), a refusal probability
 * from Beta(2, 60) (mean 3.2%), an activity multiplier from Gamma(3, 1/3) and a length multiplier
 * from LogNormal(0, 0.3). Agents are spread round-robin over the applications; each gets 3 to 7
 * catalogue tools with Dirichlet(2) call probabilities and 1 or 2 fixed targets per tool, a refusal
 * probability from Beta(2, 120) and an activity multiplier from Gamma(4, 1/4). Embedding topics
 * come from a separate stream, so switching embeddings on changes no other trait; with {@link
 * TrafficProfile#embeddingApplications()} only entities of those applications get a topic, the same
 * one they get with embeddings everywhere.
 */
public final class Population {

    private static final long TOPIC_STREAM = 0x9E3779B97F4A7C15L;
    private static final double TOPIC_SPREAD = 0.75;
    private static final List<String> AGENT_ROLES =
            List.of("assistant", "triage", "researcher", "operator", "reporter", "reviewer");

    private final List<Identity> identities;
    private final List<Agent> agents;
    private final Map<String, Identity> identitiesByKey;
    private final Map<String, Agent> agentsByKey;

    private Population(List<Identity> identities, List<Agent> agents) {
        this.identities = List.copyOf(identities);
        this.agents = List.copyOf(agents);
        this.identitiesByKey = index(this.identities, Identity::key);
        this.agentsByKey = index(this.agents, Agent::key);
    }

    /** Draws the population of a profile; the same profile always gives the same population. */
    public static Population of(TrafficProfile profile) {
        RandomGenerator traits = new Well19937c(profile.seed());
        SplittableRandom topics = new SplittableRandom(profile.seed() ^ TOPIC_STREAM);
        Map<Application, Topic> applicationTopics = new LinkedHashMap<>();
        if (profile.embeddings()) {
            profile.applications().forEach(app -> applicationTopics.put(app, Topic.random(topics)));
        }
        List<Identity> identities = new ArrayList<>();
        List<Agent> agents = new ArrayList<>();
        for (String tenant : profile.tenants()) {
            List<Identity> tenantIdentities =
                    drawIdentities(profile, tenant, traits, topics, applicationTopics);
            identities.addAll(tenantIdentities);
            agents.addAll(
                    drawAgents(
                            profile, tenant, tenantIdentities, traits, topics, applicationTopics));
        }
        return new Population(identities, agents);
    }

    /** All identities, tenant by tenant in id order. */
    public List<Identity> identities() {
        return identities;
    }

    /** All agents, tenant by tenant in creation order. */
    public List<Agent> agents() {
        return agents;
    }

    /**
     * The identity with that key ({@code tenant/principal}).
     *
     * @throws NoSuchElementException if there is none
     */
    public Identity identity(String key) {
        return find(identitiesByKey, key, "identity");
    }

    /**
     * The agent with that key ({@code tenant/agent}).
     *
     * @throws NoSuchElementException if there is none
     */
    public Agent agent(String key) {
        return find(agentsByKey, key, "agent");
    }

    private static List<Identity> drawIdentities(
            TrafficProfile profile,
            String tenant,
            RandomGenerator traits,
            SplittableRandom topics,
            Map<Application, Topic> applicationTopics) {
        List<Application> applications = profile.applications();
        double[] cumulativeShare = zipfCumulative(applications.size());
        BetaDistribution refusal = new BetaDistribution(traits, 2, 60);
        GammaDistribution activity = new GammaDistribution(traits, 3, 1.0 / 3);
        String idFormat = "u-%0" + Math.max(3, digits(profile.identitiesPerTenant())) + "d";
        List<Identity> identities = new ArrayList<>();
        for (int i = 1; i <= profile.identitiesPerTenant(); i++) {
            Application application =
                    applications.get(Sampling.pick(cumulativeShare, traits.nextDouble()));
            identities.add(
                    new Identity(
                            tenant,
                            String.format(idFormat, i),
                            application,
                            refusal.sample(),
                            activity.sample(),
                            Math.exp(0.3 * traits.nextGaussian()),
                            topicNear(profile, application, applicationTopics, topics)));
        }
        return identities;
    }

    private static List<Agent> drawAgents(
            TrafficProfile profile,
            String tenant,
            List<Identity> tenantIdentities,
            RandomGenerator traits,
            SplittableRandom topics,
            Map<Application, Topic> applicationTopics) {
        List<Application> applications = profile.applications();
        BetaDistribution refusal = new BetaDistribution(traits, 2, 120);
        GammaDistribution activity = new GammaDistribution(traits, 4, 1.0 / 4);
        GammaDistribution dirichletComponent = new GammaDistribution(traits, 2, 1);
        List<Agent> agents = new ArrayList<>();
        for (int i = 0; i < profile.agentsPerTenant(); i++) {
            Application application = applications.get(i % applications.size());
            int ordinal = i / applications.size() + 1;
            List<Identity> users =
                    tenantIdentities.stream()
                            .filter(identity -> identity.application().equals(application))
                            .collect(Collectors.toList());
            agents.add(
                    new Agent(
                            tenant,
                            String.format("%s/agent-%02d", application.id(), ordinal),
                            application.id()
                                    + "-"
                                    + AGENT_ROLES.get((ordinal - 1) % AGENT_ROLES.size()),
                            "1." + traits.nextInt(5) + ".0",
                            application,
                            drawTools(tenant, traits, dirichletComponent),
                            refusal.sample(),
                            activity.sample(),
                            users.isEmpty() ? tenantIdentities : users,
                            topicNear(profile, application, applicationTopics, topics)));
        }
        return agents;
    }

    private static List<ToolUse> drawTools(
            String tenant, RandomGenerator traits, GammaDistribution dirichletComponent) {
        List<Tool> catalogue = new ArrayList<>(ToolCatalog.all());
        int count = 3 + traits.nextInt(5);
        for (int i = 0; i < count; i++) {
            int j = i + traits.nextInt(catalogue.size() - i);
            Tool swapped = catalogue.set(j, catalogue.get(i));
            catalogue.set(i, swapped);
        }
        double[] weights = new double[count];
        double total = 0;
        for (int i = 0; i < count; i++) {
            weights[i] = dirichletComponent.sample();
            total += weights[i];
        }
        List<ToolUse> uses = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Tool tool = catalogue.get(i);
            uses.add(new ToolUse(tool, weights[i] / total, drawTargets(tool, tenant, traits)));
        }
        return uses;
    }

    private static List<String> drawTargets(Tool tool, String tenant, RandomGenerator traits) {
        List<String> pool = new ArrayList<>(tool.targets());
        int count = Math.min(pool.size(), 1 + traits.nextInt(2));
        List<String> targets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            targets.add(pool.remove(traits.nextInt(pool.size())).replace("{tenant}", tenant));
        }
        return targets;
    }

    /**
     * A topic near the application's, drawn whenever embeddings are on so that which applications
     * carry them changes no entity's topic; null for applications without embeddings.
     */
    private static Topic topicNear(
            TrafficProfile profile,
            Application application,
            Map<Application, Topic> applicationTopics,
            SplittableRandom topics) {
        Topic applicationTopic = applicationTopics.get(application);
        if (applicationTopic == null) {
            return null;
        }
        Topic topic = applicationTopic.near(topics, TOPIC_SPREAD);
        return profile.embeds(application) ? topic : null;
    }

    private static double[] zipfCumulative(int size) {
        double[] weights = new double[size];
        for (int i = 0; i < size; i++) {
            weights[i] = 1.0 / (i + 1);
        }
        return Sampling.cumulative(weights);
    }

    private static int digits(int value) {
        return Integer.toString(value).length();
    }

    private static <T> Map<String, T> index(List<T> entities, Function<T, String> key) {
        return entities.stream().collect(Collectors.toUnmodifiableMap(key, Function.identity()));
    }

    private static <T> T find(Map<String, T> byKey, String key, String what) {
        T entity = byKey.get(key);
        if (entity == null) {
            throw new NoSuchElementException("no " + what + " " + key);
        }
        return entity;
    }
}
