package io.phoenix.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.time.Duration;
import java.util.List;

/**
 * Reads typed values under a path prefix and turns every Typesafe Config failure into a
 * {@link SettingsException} naming the full key, so start-up fails with one clear line.
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
    try {
      return config.getString(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
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
    int value;
    try {
      value = config.getInt(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
    if (value < min || value > max) {
      throw new SettingsException(key(name), "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public long longAtLeast(String name, long min) {
    long value;
    try {
      value = config.getLong(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
    if (value < min) {
      throw new SettingsException(key(name), "must be at least " + min + ", was " + value);
    }
    return value;
  }

  public double doubleInRange(String name, double min, double max) {
    double value;
    try {
      value = config.getDouble(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
    if (!(value >= min && value <= max)) {
      throw new SettingsException(key(name), "must be between " + min + " and " + max + ", was " + value);
    }
    return value;
  }

  public boolean bool(String name) {
    try {
      return config.getBoolean(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
  }

  public Duration positiveDuration(String name) {
    Duration value = duration(name);
    if (value.isNegative() || value.isZero()) {
      throw new SettingsException(key(name), "must be a positive duration, was " + value);
    }
    return value;
  }

  public Duration duration(String name) {
    try {
      return config.getDuration(path(name));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
  }

  public List<String> stringList(String name) {
    try {
      return List.copyOf(config.getStringList(path(name)));
    } catch (ConfigException e) {
      throw fail(name, e);
    }
  }

  public List<ConfigReader> objectList(String name) {
    try {
      List<? extends Config> items = config.getConfigList(path(name));
      java.util.ArrayList<ConfigReader> readers = new java.util.ArrayList<>(items.size());
      for (int i = 0; i < items.size(); i++) {
        readers.add(new ConfigReader(items.get(i), "", key(name) + "[" + i + "]"));
      }
      return readers;
    } catch (ConfigException e) {
      throw fail(name, e);
    }
  }

  private SettingsException fail(String name, ConfigException e) {
    String problem = e instanceof ConfigException.Missing ? "is missing" : "is invalid (" + e.getMessage() + ")";
    return new SettingsException(key(name), problem);
  }
}
