/**
 * Seeded, realistic traffic and attack scenarios for demos, integration tests, backtests and load
 * benchmarks.
 *
 * <p>{@link dev.tamperwatch.load.TrafficGenerator} streams normal, per-entity stationary traffic of
 * a {@link dev.tamperwatch.load.TrafficProfile}; {@link dev.tamperwatch.load.ScenarioPlan} injects
 * {@link dev.tamperwatch.load.AttackScenario}s such as {@link
 * dev.tamperwatch.load.JailbreakCampaign}, {@link dev.tamperwatch.load.PromptInjection} or {@link
 * dev.tamperwatch.load.DataExfiltration} after the history and reports their ground truth as {@link
 * dev.tamperwatch.load.Label}s.
 */
package dev.tamperwatch.load;
