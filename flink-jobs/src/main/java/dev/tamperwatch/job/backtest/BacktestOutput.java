package dev.tamperwatch.job.backtest;

import dev.tamperwatch.job.alert.AlertRecord;
import dev.tamperwatch.job.baseline.ScoreRecord;
import dev.tamperwatch.job.io.DeadLetterRecord;

/**
 * One result of a replay on its way to the client: exactly one field is set. A Flink POJO, so that
 * every output of the pipeline travels through one collect sink.
 */
public class BacktestOutput {
    public AlertRecord alert;
    public DeadLetterRecord deadLetter;
    public ScoreRecord score;
    public InputStats stats;

    public BacktestOutput() {}

    public static BacktestOutput of(AlertRecord alert) {
        BacktestOutput out = new BacktestOutput();
        out.alert = alert;
        return out;
    }

    public static BacktestOutput of(DeadLetterRecord deadLetter) {
        BacktestOutput out = new BacktestOutput();
        out.deadLetter = deadLetter;
        return out;
    }

    public static BacktestOutput of(ScoreRecord score) {
        BacktestOutput out = new BacktestOutput();
        out.score = score;
        return out;
    }

    public static BacktestOutput of(InputStats stats) {
        BacktestOutput out = new BacktestOutput();
        out.stats = stats;
        return out;
    }
}
