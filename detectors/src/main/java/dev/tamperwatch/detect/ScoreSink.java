package dev.tamperwatch.detect;

/** Receives every score a detector computes. Implementations must not throw. */
@FunctionalInterface
public interface ScoreSink {

    /** A sink that drops every score. */
    ScoreSink NONE = score -> {};

    void accept(Score score);
}
