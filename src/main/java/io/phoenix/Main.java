package io.phoenix;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.ToIntFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point: {@code java -jar phoenix.jar [run|exchange|report|bench|record|backtest|chaos]
 * [--config FILE]}. Parsing and config loading live here; wiring lives in {@link Launcher} so tests
 * can call it with their own config.
 */
@Command(
    name = "phoenix",
    mixinStandardHelpOptions = true,
    version = "phoenix 0.1.0",
    description =
        "Market maker for Binance USD-M perpetual futures, with an embedded exchange simulator.",
    subcommands = {
      Main.Run.class,
      Main.Exchange.class,
      Main.Report.class,
      Main.Bench.class,
      Main.Record.class,
      Main.Backtest.class,
      Main.Chaos.class
    })
public final class Main implements Callable<Integer> {

  @Option(
      names = "--config",
      description =
          "HOCON file layered over the defaults (default: conf/application.conf if present)")
  File configFile;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /**
   * Parses and runs a command line; returns the exit code instead of exiting (tests run commands
   * in-process).
   */
  public static int execute(String... args) {
    return new CommandLine(new Main())
        .setExecutionStrategy(new CommandLine.RunLast())
        .execute(args);
  }

  /** No sub-command means {@code run}. */
  @Override
  public Integer call() {
    return launch(configFile, Launcher::run);
  }

  /**
   * Loads {@code file} (or conf/application.conf) over reference.conf, resolving env substitutions.
   */
  static Config loadConfig(File file) {
    File chosen = file != null ? file : new File("conf/application.conf");
    if (file != null && !file.isFile()) {
      throw new SettingsException("--config", "file not found: " + file);
    }
    Config base = ConfigFactory.defaultOverrides();
    if (chosen.isFile()) {
      base = base.withFallback(ConfigFactory.parseFile(chosen));
    }
    return base.withFallback(ConfigFactory.defaultApplication())
        .withFallback(ConfigFactory.defaultReference())
        .resolve();
  }

  /**
   * Loads the config and runs {@code command}; a settings problem is one line naming the key, exit
   * 2.
   */
  static int launch(File configFile, ToIntFunction<Config> command) {
    Config config;
    try {
      config = loadConfig(configFile);
    } catch (SettingsException | com.typesafe.config.ConfigException e) {
      return startupFailure(e);
    }
    try {
      return command.applyAsInt(config);
    } catch (SettingsException e) {
      return startupFailure(e);
    }
  }

  private static int startupFailure(Exception e) {
    System.err.println("phoenix: cannot start: " + e.getMessage());
    return 2;
  }

  /** A sub-command: its own {@code --config} wins over the one given before the command name. */
  abstract static class SubCommand implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Option(names = "--config", description = "HOCON file layered over the defaults")
    File configFile;

    abstract int run(Config config);

    @Override
    public Integer call() {
      return launch(configFile != null ? configFile : parent.configFile, this::run);
    }
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Run the market maker (against the embedded simulator by default).")
  static final class Run extends SubCommand {
    @Override
    int run(Config config) {
      return Launcher.run(config);
    }
  }

  @Command(
      name = "exchange",
      mixinStandardHelpOptions = true,
      description = "Start only the embedded Binance USD-M exchange simulator.")
  static final class Exchange extends SubCommand {
    @Option(
        names = "--replay",
        arity = "1..*",
        paramLabel = "FILE",
        description =
            "Recordings (hftbacktest raw format) whose book and trades the simulator replays in real time instead of"
                + " its synthetic market, for the symbols they hold (phoenix.sim.replay)")
    List<File> replay;

    @Option(
        names = "--replay-speed",
        description = "Speed factor of the replay (phoenix.sim.replay-speed, default 1.0)")
    Double replaySpeed;

    @Override
    int run(Config config) {
      Config c = config;
      if (replay != null && !replay.isEmpty()) {
        c =
            c.withValue(
                "phoenix.sim.replay",
                com.typesafe.config.ConfigValueFactory.fromIterable(
                    replay.stream().map(File::getPath).toList()));
      }
      if (replaySpeed != null) {
        c =
            c.withValue(
                "phoenix.sim.replay-speed",
                com.typesafe.config.ConfigValueFactory.fromAnyRef(replaySpeed));
      }
      return Launcher.exchange(c);
    }
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = "Print PnL, volume, fees and fills by symbol and day from the order journal.")
  static final class Report extends SubCommand {
    @Override
    int run(Config config) {
      return io.phoenix.journal.JournalReport.run(config);
    }
  }

  @Command(
      name = "record",
      mixinStandardHelpOptions = true,
      description =
          "Record the market data of symbols (depth diffs, book ticker, trades, mark price, and a REST depth snapshot at start"
              + " and after every resync) in hftbacktest's raw format: <dir>/<symbol>_<yyyymmdd>.gz, one file per symbol and UTC day.")
  static final class Record extends SubCommand {
    @Option(
        names = "--symbols",
        required = true,
        split = ",",
        description = "Symbols to record, e.g. BTCUSDT,ETHUSDT")
    List<String> symbols;

    @Option(names = "--out", required = true, description = "Directory of the recordings")
    File out;

    @Option(
        names = "--seconds",
        defaultValue = "0",
        description = "Stop after this long (default: until interrupted)")
    long seconds;

    @Override
    int run(Config config) {
      return RecordCommand.run(config, symbols, out.toPath(), seconds);
    }
  }

  @Command(
      name = "backtest",
      mixinStandardHelpOptions = true,
      description =
          "Replay recordings through the node's own quoter and risk code against an exchange model (queue position, latency,"
              + " fees, funding) on virtual time; print the result, write JSON and an HTML report.")
  static final class Backtest extends SubCommand {
    @Option(
        names = "--data",
        required = true,
        arity = "1..*",
        description = "Recording files (<ns> <json> lines, gzip or plain)")
    List<File> data;

    @Option(names = "--report", description = "Write a self-contained HTML report with plots here")
    File report;

    @Option(
        names = "--json",
        description = "Write the result (or a sweep's ranked summaries) as JSON here")
    File json;

    @Option(
        names = "--sweep",
        description =
            "key=v1,v2,...: run every combination of the given settings (repeatable), on all cores")
    List<String> sweep = new java.util.ArrayList<>();

    @Option(
        names = "--sweep-out",
        description = "Directory of a sweep's per-run JSON (default backtest-sweep)")
    File sweepOut;

    @Option(
        names = "--threads",
        defaultValue = "0",
        description = "Sweep worker threads (default: one per core)")
    int threads;

    @Option(
        names = "--window",
        description =
            "FROM:TO, fractions of the recording's span: trade and report only that part"
                + " (e.g. 0:0.5 to tune, 0.5:1 to check); sets phoenix.backtest.window")
    String window;

    @Override
    int run(Config config) {
      if (window != null) {
        config = io.phoenix.backtest.BacktestCommand.window(config, window);
      }
      try {
        return io.phoenix.backtest.BacktestCommand.run(
            config,
            data.stream().map(File::toPath).toList(),
            report == null ? null : report.toPath(),
            json == null ? null : json.toPath(),
            sweep,
            sweepOut == null ? null : sweepOut.toPath(),
            threads > 0 ? threads : Runtime.getRuntime().availableProcessors(),
            System.out);
      } catch (java.io.IOException e) {
        System.err.println("phoenix: backtest failed: " + e.getMessage());
        return 1;
      }
    }
  }

  @Command(
      name = "bench",
      mixinStandardHelpOptions = true,
      description =
          "Run the whole node against the embedded simulator and print hot-path latency per stage (frame in -> order request written).")
  static final class Bench extends SubCommand {
    @Option(
        names = "--seconds",
        defaultValue = "30",
        description = "Measured seconds after the warm-up (default ${DEFAULT-VALUE})")
    int seconds;

    @Option(
        names = "--warmup",
        defaultValue = "10",
        description = "Seconds before the histograms are reset (default ${DEFAULT-VALUE})")
    int warmup;

    @Option(
        names = "--external-venue",
        description =
            "Trade the simulator at phoenix.binance.* (on this machine, e.g. started"
                + " with `exchange` in another process) instead of an embedded one")
    boolean externalVenue;

    @Option(
        names = "--transport",
        defaultValue = "rest",
        description =
            "Order transport: rest, ws-api, or both (one run each, one"
                + " after the other) (default ${DEFAULT-VALUE})")
    String transport;

    @Override
    int run(Config config) {
      return Launcher.bench(config, warmup, seconds, externalVenue, transport);
    }
  }

  @Command(
      name = "chaos",
      mixinStandardHelpOptions = true,
      description =
          "Run the node against an embedded simulator while injecting seeded random faults (phoenix.chaos); check"
              + " orphans, phantoms, positions, journal, notional, uptime, recovery, heap and bans; print a table; exit 1 when an invariant breaks.")
  static final class Chaos extends SubCommand {
    @Option(
        names = "--minutes",
        defaultValue = "10",
        description = "Length of the faulted run after the warm-up (default ${DEFAULT-VALUE})")
    int minutes;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description =
            "Seeds the fault schedule and the simulated market (default ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--report", description = "Also write the report as JSON to this file")
    File report;

    @Override
    int run(Config config) {
      return io.phoenix.chaos.ChaosSoak.run(
          config, minutes, seed, report == null ? null : report.toPath());
    }
  }
}
