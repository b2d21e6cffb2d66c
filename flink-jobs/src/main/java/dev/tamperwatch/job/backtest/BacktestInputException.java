package dev.tamperwatch.job.backtest;

/**
 * An input of a backtest that cannot be used: an unreadable file, a bad label or config line, an
 * unknown topic. The message names the input, the line or field, and what is wrong; the command
 * prints it alone and exits with status 2.
 */
public final class BacktestInputException extends RuntimeException {

    public BacktestInputException(String message) {
        super(message);
    }

    public BacktestInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
