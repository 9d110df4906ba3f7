package io.phoenix.ops;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import com.typesafe.config.Config;
import io.phoenix.config.SecretRegistry;
import java.util.List;
import java.util.Map;

/**
 * Logging conventions: every line carries the actor path ({@code akkaSource}, set by Akka for
 * {@code context.getLog()}) and, for per-symbol actors, the symbol. Wrap a per-symbol actor's
 * behaviour with {@link #withSymbol} at spawn time so every line it logs has {@code symbol} in the
 * MDC.
 */
public final class Logs {
  public static final String SYMBOL = "symbol";

  private Logs() {}

  /** Config keys whose values are credentials, masked in logs by {@link SecretGuardFilter}. */
  public static final List<String> SECRET_KEYS =
      List.of("phoenix.binance.api-secret", "phoenix.ops.token", "phoenix.journal.password");

  /**
   * Registers the credential values found in {@code config} with the log guard. Call once at
   * start-up, before anything logs, so that even a component holding the secret as a plain String
   * cannot leak it into a log line.
   */
  public static void registerSecrets(Config config) {
    for (String key : SECRET_KEYS) {
      if (config.hasPath(key)) {
        SecretRegistry.register(config.getString(key));
      }
    }
  }

  public static <T> Behavior<T> withSymbol(
      Class<T> messageClass, String symbol, Behavior<T> behavior) {
    return Behaviors.withMdc(messageClass, Map.of(SYMBOL, symbol), behavior);
  }
}
