package io.phoenix.config;

/** A configuration value is missing or invalid; the message names the offending key. */
public final class SettingsException extends RuntimeException {
  private final String key;

  public SettingsException(String key, String problem) {
    super("configuration key '" + key + "': " + problem);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
