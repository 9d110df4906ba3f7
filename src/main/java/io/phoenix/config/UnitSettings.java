package io.phoenix.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The trading units of the cluster ({@code phoenix.units}): each one account (its API key and
 * secret read from the environment variables it names) with its symbols, run as a whole on one node
 * and moved as a whole. An empty list is one unit, named {@code phoenix.unit-name}, made of the
 * configuration itself: the single-node default.
 *
 * @param name unique, 1-32 of {@code [A-Za-z0-9_.]}: the unit's fencing epoch and journal carry it
 * @param config the whole configuration as this unit sees it: {@code phoenix.unit-name}, {@code
 *     phoenix.symbols} and the account's credentials set, the unit's own {@code settings} block
 *     laid over the node's {@code phoenix.*}
 */
public record UnitSettings(String name, Config config) {

  /**
   * Every unit, validated: a bad entry or a missing environment variable names its key.
   *
   * @param env the process environment ({@code System::getenv})
   */
  public static List<UnitSettings> fromConfig(Config config, Function<String, String> env) {
    ConfigReader root = new ConfigReader(config, "phoenix");
    List<ConfigReader> entries = root.objectList("units");
    if (entries.isEmpty()) {
      return List.of(new UnitSettings(root.nonEmptyString("unit-name"), config));
    }
    List<UnitSettings> units = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigReader u : entries) {
      String name = u.nonEmptyString("name");
      if (!name.matches("[A-Za-z0-9_.]{1,32}")) {
        throw new SettingsException(u.key("name"), "must be 1-32 of [A-Za-z0-9_.], was " + name);
      }
      if (!names.add(name)) {
        throw new SettingsException(u.key("name"), "names another unit already: " + name);
      }
      List<String> symbols = u.stringList("symbols");
      if (symbols.isEmpty()) {
        throw new SettingsException(u.key("symbols"), "must name at least one symbol");
      }
      String key = fromEnv(u, "api-key-env", env);
      String secret = fromEnv(u, "api-secret-env", env);
      Config own = u.has("settings") ? u.config("settings") : ConfigFactory.empty();
      Config unit =
          ConfigFactory.parseMap(
                  Map.of(
                      "phoenix.unit-name", name,
                      "phoenix.symbols", symbols,
                      "phoenix.binance.api-key", key,
                      "phoenix.binance.api-secret", secret))
              .withFallback(own.atKey("phoenix"))
              .withFallback(config);
      if (!own.hasPath("journal.url")) {
        unit = unit.withValue("phoenix.journal.url", journalOf(u, config, name));
      }
      units.add(new UnitSettings(name, unit));
    }
    return List.copyOf(units);
  }

  private static String fromEnv(ConfigReader u, String key, Function<String, String> env) {
    String variable = u.nonEmptyString(key);
    String value = env.apply(variable);
    if (value == null || value.isBlank()) {
      throw new SettingsException(u.key(key), "environment variable " + variable + " is not set");
    }
    return value;
  }

  /**
   * Each unit its own journal: an H2 file gets the unit's name as a suffix; a shared database
   * (PostgreSQL) must be named per unit in the unit's settings, or two units would mix their rows.
   */
  private static com.typesafe.config.ConfigValue journalOf(
      ConfigReader u, Config config, String name) {
    String url = config.getString("phoenix.journal.url");
    if (url.startsWith("jdbc:h2:file:") || url.startsWith("jdbc:h2:mem:")) {
      int options = url.indexOf(';');
      String base = options < 0 ? url : url.substring(0, options);
      String rest = options < 0 ? "" : url.substring(options);
      return ConfigValueFactory.fromAnyRef(base + "-" + name + rest);
    }
    if (!config.getBoolean("phoenix.journal.enabled")) {
      return ConfigValueFactory.fromAnyRef(url);
    }
    throw new SettingsException(
        u.key("settings") + ".journal.url",
        "must be set per unit when the journal is a shared database (" + url + ")");
  }
}
