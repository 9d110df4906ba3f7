package io.phoenix.backtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.typesafe.config.Config;
import io.phoenix.binance.ws.InstrumentRegistry;
import io.phoenix.config.SettingsException;
import io.phoenix.config.SimSettings;
import io.phoenix.core.Instrument;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code phoenix.jar backtest}: loads the recordings, runs the node's strategy over them (or a grid
 * of settings, see {@link Sweep}), prints the result table and writes the JSON and HTML reports.
 */
public final class BacktestCommand {
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BacktestCommand() {}

  /**
   * The instruments a recording may name, with Binance's filters as {@code phoenix.sim.symbols}
   * lists them (a recording carries no exchangeInfo).
   */
  public static InstrumentRegistry instruments(Config config) {
    List<SimSettings.SymbolSettings> symbols = SimSettings.fromConfig(config).symbols();
    List<Instrument> list = new ArrayList<>();
    for (int i = 0; i < symbols.size(); i++) {
      list.add(symbols.get(i).instrument(i));
    }
    return InstrumentRegistry.of(list);
  }

  public static MarketData load(Config config, List<Path> files) throws IOException {
    for (Path f : files) {
      if (!Files.isRegularFile(f)) {
        throw new SettingsException("--data", "file not found: " + f);
      }
    }
    MarketData data = MarketData.load(files, instruments(config));
    if (data.size() == 0) {
      throw new SettingsException(
          "--data",
          "no market data a backtest can use in "
              + files
              + " (its symbols must be listed in phoenix.sim.symbols, which hold the exchange filters)");
    }
    return data;
  }

  /** {@code config} with {@code phoenix.backtest.window} set from {@code FROM:TO} (fractions). */
  public static Config window(Config config, String spec) {
    String[] parts = spec.trim().split(":", -1);
    if (parts.length != 2) {
      throw new SettingsException(
          "--window", "expected FROM:TO (fractions of the recording, e.g. 0.5:1), was " + spec);
    }
    Config out = config;
    try {
      double from = Double.parseDouble(parts[0].trim());
      double to = Double.parseDouble(parts[1].trim());
      out =
          com.typesafe.config.ConfigFactory.parseMap(
                  Map.of("phoenix.backtest.window.from", from, "phoenix.backtest.window.to", to))
              .withFallback(config);
    } catch (NumberFormatException e) {
      throw new SettingsException(
          "--window", "expected FROM:TO (fractions of the recording, e.g. 0.5:1), was " + spec);
    }
    BacktestSettings.fromConfig(out); // validates the range
    return out;
  }

  /** One backtest of the strategy {@code config} names (the node's by default). */
  public static BacktestResult runOnce(
      MarketData data, Config config, Map<String, String> overrides) {
    return Backtest.runOnce(data, config, overrides);
  }

  public static byte[] json(Object result) {
    try {
      return JSON.writeValueAsBytes(result);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the report as JSON", e);
    }
  }

  /** The command; returns the exit code. */
  public static int run(
      Config config,
      List<Path> files,
      Path report,
      Path json,
      List<String> sweeps,
      Path sweepOut,
      int threads,
      PrintStream out)
      throws IOException {
    long t0 = System.nanoTime();
    MarketData data = load(config, files);
    long loaded = System.nanoTime();
    out.printf(
        Locale.ROOT,
        "loaded %d messages (%d events) from %d file(s) in %.0f ms%n",
        data.size(),
        data.levelEvents(),
        files.size(),
        (loaded - t0) / 1e6);
    if (!sweeps.isEmpty()) {
      Sweep sweep = new Sweep(Sweep.parse(sweeps));
      List<Sweep.Run> runs = sweep.run(data, config, threads);
      out.print(Sweep.table(runs));
      Path dir = sweepOut != null ? sweepOut : Path.of("backtest-sweep");
      Files.createDirectories(dir);
      for (Sweep.Run r : runs) {
        Files.write(
            dir.resolve(String.format(Locale.ROOT, "run-%03d.json", r.index())), json(r.result()));
      }
      if (json != null) {
        Files.write(json, json(Sweep.summaries(runs)));
      }
      out.printf(
          Locale.ROOT,
          "%d runs on %d threads in %.0f ms; per-run JSON in %s%n",
          runs.size(),
          sweep.threadsUsed(),
          (System.nanoTime() - loaded) / 1e6,
          dir);
      return 0;
    }
    BacktestResult result = runOnce(data, config, Map.of());
    long ran = System.nanoTime();
    out.print(table(result));
    out.printf(
        Locale.ROOT,
        "replayed %.0f s of market data in %.0f ms (%.2f M events/s)%n",
        result.data().seconds(),
        (ran - loaded) / 1e6,
        data.levelEvents() / ((ran - loaded) / 1e9) / 1e6);
    if (json != null) {
      Files.write(json, json(result));
      out.println("JSON: " + json);
    }
    if (report != null) {
      Files.writeString(report, HtmlReport.render(result), StandardCharsets.UTF_8);
      out.println("report: " + report);
    }
    return 0;
  }

  /** The summary as a plain-text table (also the README's). */
  public static String table(BacktestResult r) {
    StringBuilder b = new StringBuilder();
    for (String[] row : SummaryRows.of(r)) {
      b.append(String.format(Locale.ROOT, "%-36s %s%n", row[0], row[1]));
    }
    return b.toString();
  }
}
