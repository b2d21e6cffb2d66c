package dev.tamperwatch.job.baseline;

import dev.tamperwatch.detect.Score;

/**
 * A detector score for one subject, anomalous or not: what backtests plot against the threshold. A
 * Flink POJO.
 */
public class ScoreRecord {
    public String detector;
    public String measure;
    public String keyType;
    public String key;
    public long windowStart;
    public long windowEnd;
    public double pValue;
    public double threshold;

    public ScoreRecord() {}

    public static ScoreRecord of(Score score, String keyType, String key) {
        ScoreRecord record = new ScoreRecord();
        record.detector = score.detector();
        record.measure = score.measure();
        record.keyType = keyType;
        record.key = key;
        record.windowStart = score.windowStart();
        record.windowEnd = score.windowEnd();
        record.pValue = score.pValue();
        record.threshold = score.threshold();
        return record;
    }
}
