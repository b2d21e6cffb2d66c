package dev.tamperwatch.job.alert;

/** Turns an alert into one line of JSON for the SIEM. Implementations are stateless. */
public interface AlertRenderer {

    /** One JSON object on a single line. */
    String render(Alert alert);
}
