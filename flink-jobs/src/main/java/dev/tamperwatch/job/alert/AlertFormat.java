package dev.tamperwatch.job.alert;

/** Wire formats of alerts on the alerts topic. */
public enum AlertFormat {
    /** OCSF 1.3 Detection Finding (class 2004). */
    OCSF {
        @Override
        public AlertRenderer renderer() {
            return new OcsfRenderer();
        }
    },
    /** Elastic Common Schema alert document. */
    ECS {
        @Override
        public AlertRenderer renderer() {
            return new EcsRenderer();
        }
    };

    public abstract AlertRenderer renderer();
}
