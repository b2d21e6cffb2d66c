/**
 * Measures the tool-call detector on AgentDojo (Debenedetti et al., NeurIPS 2024): its benign user
 * tasks become per-agent streams of tool calls, its prompt-injection tasks hijacked sessions.
 *
 * <p>{@link dev.tamperwatch.load.agentdojo.AgentDojoData} reads the extracted tasks from the shared
 * datasets directory, {@link dev.tamperwatch.load.agentdojo.AgentDojoEvaluation} replays them
 * through {@link dev.tamperwatch.detect.tools.ToolCallDistributionDetector} and tallies detection,
 * delay and false alarms, and {@link dev.tamperwatch.load.agentdojo.AgentDojoReport} prints the
 * table.
 */
package dev.tamperwatch.load.agentdojo;
