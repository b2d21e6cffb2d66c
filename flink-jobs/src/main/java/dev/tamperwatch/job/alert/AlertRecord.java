package dev.tamperwatch.job.alert;

/**
 * A rendered alert in flight to the alerts topic: Kafka key is the finding uid, value the JSON. A
 * Flink POJO.
 */
public class AlertRecord {
    public String uid;
    public String detector;
    public String keyType;
    public String key;
    public int severityId;
    public long time;
    public String json;

    public AlertRecord() {}

    public static AlertRecord of(Alert alert, AlertRenderer renderer) {
        AlertRecord record = new AlertRecord();
        record.uid = alert.uid();
        record.detector = alert.finding().detector();
        record.keyType = alert.keyType();
        record.key = alert.key();
        record.severityId = alert.finding().severity().ocsfId();
        record.time = alert.detectedAt();
        record.json = renderer.render(alert);
        return record;
    }
}
