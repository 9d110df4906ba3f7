package io.phoenix;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.phoenix.config.SettingsException;
import java.io.File;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Entry point: {@code java -jar phoenix.jar [run|exchange] [--config FILE]}. Parsing and config
 * loading live here; wiring lives in the commands so tests can call them with their own config.
 */
@Command(
    name = "phoenix",
    mixinStandardHelpOptions = true,
    version = "phoenix 0.1.0",
    description = "Market maker for Binance USD-M perpetual futures, with an embedded exchange simulator.",
    subcommands = {Main.Run.class, Main.Exchange.class})
public final class Main implements Callable<Integer> {

  @Option(names = "--config", description = "HOCON file layered over the defaults (default: conf/application.conf if present)")
  File configFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).setExecutionStrategy(new CommandLine.RunLast()).execute(args));
  }

  /** No sub-command means {@code run}. */
  @Override
  public Integer call() throws Exception {
    Run run = new Run();
    run.parent = this;
    return run.call();
  }

  /** Loads {@code file} (or conf/application.conf) over reference.conf, resolving env substitutions. */
  static Config loadConfig(File file) {
    File chosen = file != null ? file : new File("conf/application.conf");
    if (file != null && !file.isFile()) {
      throw new SettingsException("--config", "file not found: " + file);
    }
    Config base = ConfigFactory.defaultOverrides();
    if (chosen.isFile()) {
      base = base.withFallback(ConfigFactory.parseFile(chosen));
    }
    return base.withFallback(ConfigFactory.defaultApplication()).withFallback(ConfigFactory.defaultReference()).resolve();
  }

  static int startupFailure(Exception e) {
    System.err.println("phoenix: cannot start: " + e.getMessage());
    return 2;
  }

  @Command(name = "run", mixinStandardHelpOptions = true, description = "Run the market maker (against the embedded simulator by default).")
  static final class Run implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Option(names = "--config", description = "HOCON file layered over the defaults")
    File configFile;

    @Override
    public Integer call() {
      try {
        Config config = loadConfig(configFile != null ? configFile : parent.configFile);
        return Launcher.run(config);
      } catch (SettingsException e) {
        return startupFailure(e);
      }
    }
  }

  @Command(name = "exchange", mixinStandardHelpOptions = true, description = "Start only the embedded Binance USD-M exchange simulator.")
  static final class Exchange implements Callable<Integer> {
    @CommandLine.ParentCommand Main parent;

    @Option(names = "--config", description = "HOCON file layered over the defaults")
    File configFile;

    @Override
    public Integer call() {
      try {
        Config config = loadConfig(configFile != null ? configFile : parent.configFile);
        return Launcher.exchange(config);
      } catch (SettingsException e) {
        return startupFailure(e);
      }
    }
  }
}
