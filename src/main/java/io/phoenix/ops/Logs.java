package io.phoenix.ops;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.Map;

/**
 * Logging conventions: every line carries the actor path ({@code akkaSource}, set by Akka for
 * {@code context.getLog()}) and, for per-symbol actors, the symbol. Wrap a per-symbol actor's
 * behaviour with {@link #withSymbol} at spawn time so every line it logs has {@code symbol} in the MDC.
 */
public final class Logs {
  public static final String SYMBOL = "symbol";

  private Logs() {}

  public static <T> Behavior<T> withSymbol(Class<T> messageClass, String symbol, Behavior<T> behavior) {
    return Behaviors.withMdc(messageClass, Map.of(SYMBOL, symbol), behavior);
  }
}
