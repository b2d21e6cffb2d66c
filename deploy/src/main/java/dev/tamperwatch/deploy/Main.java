package dev.tamperwatch.deploy;

import dev.tamperwatch.deploy.demo.DemoCommand;
import dev.tamperwatch.deploy.kafka.BrokerCommand;
import dev.tamperwatch.job.DetectJob;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code tamperwatch} launcher. Exit status 2 on bad arguments. */
@Command(
        name = "tamperwatch",
        mixinStandardHelpOptions = true,
        description = "Streaming detection of tampering in AI systems.",
        subcommands = {
            DemoCommand.class,
            DetectJob.class,
            BrokerCommand.class,
            dev.tamperwatch.job.backtest.BacktestCommand.class,
            dev.tamperwatch.load.cli.GenerateCommand.class
        })
public final class Main implements Runnable {

    public static void main(String[] args) {
        int status =
                new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(status);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
