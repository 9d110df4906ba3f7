package io.phoenix.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Reads typed values under a path prefix and turns every Typesafe Config failure into a {@link
 * SettingsException} naming the full key, so start-up fails with one clear line.
 */
public final class ConfigReader {
  private final Config config;
  private final String prefix;
  private final String displayPrefix;

  public ConfigReader(Config config, String prefix) {
    this(config, prefix, prefix);
  }

  private ConfigReader(Config config, String prefix, String displayPrefix) {
    this.config = config;
    this.prefix = prefix;
    this.displayPrefix = displayPrefix;
  }

  public ConfigReader at(String child) {
    return new ConfigReader(config, path(child), key(child));
  }

  /** The full key as an operator would write it, for error messages. */
  public String key(String name) {
    return displayPrefix.isEmpty() ? name : displayPrefix + "." + name;
  }

  private String path(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  public boolean has(String name) {
    return config.hasPath(path(name));
  }

  public String string(String name) {
    return read(name, Config::getString);
  }

  /** A string that may be absent or empty (secrets from env); empty when unset. */
  public String optionalString(String name) {
    return has(name) ? string(name) : "";
  }

  public String nonEmptyString(String name) {
    String value = string(name);
    if (value.isBlank()) {
      throw new SettingsException(key(name), "must not be empty");
    }
    return value;
  }

  public int intInRange(String name, int min, int max) {
    int value = read(name, Config::getInt);
    if (value < min || value > max) {
      throw new SettingsException(
          key(name), "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public long longAtLeast(String name, long min) {
    long value = read(name, Config::getLong);
    if (value < min) {
      throw new SettingsException(key(name), "must be at least " + min + ", was " + value);
    }
    return value;
  }

  public double doubleInRange(String name, double min, double max) {
    double value = read(name, Config::getDouble);
    if (!(value >= min && value <= max)) {
      throw new SettingsException(
          key(name), "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public boolean bool(String name) {
    return read(name, Config::getBoolean);
  }

  public Duration positiveDuration(String name) {
    Duration value = duration(name);
    if (value.isNegative() || value.isZero()) {
      throw new SettingsException(key(name), "must be a positive duration, was " + value);
    }
    return value;
  }

  public Duration nonNegativeDuration(String name) {
    Duration value = duration(name);
    if (value.isNegative()) {
      throw new SettingsException(key(name), "must not be negative, was " + value);
    }
    return value;
  }

  public Duration duration(String name) {
    return read(name, Config::getDuration);
  }

  /** The sub-configuration at {@code name}. */
  public Config config(String name) {
    return read(name, Config::getConfig);
  }

  public List<String> stringList(String name) {
    return List.copyOf(read(name, Config::getStringList));
  }

  public List<ConfigReader> objectList(String name) {
    List<? extends Config> items = read(name, Config::getConfigList);
    java.util.ArrayList<ConfigReader> readers = new java.util.ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      readers.add(new ConfigReader(items.get(i), "", key(name) + "[" + i + "]"));
    }
    return readers;
  }

  /** The one place a Typesafe Config failure becomes a {@link SettingsException} naming the key. */
  private <T> T read(String name, BiFunction<Config, String, T> getter) {
    try {
      return getter.apply(config, path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
  }

  private SettingsException fail(String name, ConfigException e) {
    String problem =
        e instanceof ConfigException.Missing ? "is missing" : "is invalid (" + e.getMessage() + ")";
    return new SettingsException(key(name), problem);
  }
}
