package io.phoenix.chaos;

import io.phoenix.config.SettingsException;
import java.util.Locale;

/** What the soak can do to the node or its venue; {@link #instant} ones have no duration. */
public enum FaultType {
  WS_DROP(true),
  DEPTH_GAP(false),
  UNKNOWN_ORDERS(false),
  SERVER_ERRORS(false),
  RATE_LIMITED(false),
  DELAY(false),
  CLOCK_SKEW(false),
  LISTEN_KEY_EXPIRY(true),
  SIM_RESTART(false),
  QUOTER_CRASH(true),
  GATEWAY_CRASH(true),
  RISK_CRASH(true);

  private final boolean instant;

  FaultType(boolean instant) {
    this.instant = instant;
  }

  public boolean instant() {
    return instant;
  }

  /** The name used in config and reports: {@code ws-drop}, {@code sim-restart}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /**
   * @param key the config key the name came from, for the error
   */
  public static FaultType parse(String name, String key) {
    for (FaultType t : values()) {
      if (t.configName().equals(name)) {
        return t;
      }
    }
    StringBuilder known = new StringBuilder();
    for (FaultType t : values()) {
      known.append(known.length() == 0 ? "" : ", ").append(t.configName());
    }
    throw new SettingsException(key, "unknown fault type '" + name + "' (known: " + known + ")");
  }
}
