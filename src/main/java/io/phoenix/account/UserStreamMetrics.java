package io.phoenix.account;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.ws.UserDataParser;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counters of the user stream, registered once per feed; Micrometer returns the existing meter on
 * re-registration, so a restarted feed keeps counting into the same series. Prometheus names:
 * {@code phoenix_user_stream_frames_total{outcome}}, {@code phoenix_user_stream_reconnects_total},
 * {@code phoenix_user_stream_duplicate_fills_total}. Reconciliation counts into {@link
 * io.phoenix.reconcile.ReconcileMetrics}.
 */
final class UserStreamMetrics {
  private final Map<UserDataParser.Outcome, Counter> frames =
      new EnumMap<>(UserDataParser.Outcome.class);
  private final Counter reconnects;
  private final Counter duplicateFills;

  UserStreamMetrics(MeterRegistry registry) {
    for (UserDataParser.Outcome o : UserDataParser.Outcome.values()) {
      frames.put(
          o,
          Counter.builder("phoenix.user.stream.frames")
              .tag("outcome", o.name().toLowerCase(Locale.ROOT))
              .description("User data stream frames by parse outcome")
              .register(registry));
    }
    reconnects = Counter.builder("phoenix.user.stream.reconnects").register(registry);
    duplicateFills =
        Counter.builder("phoenix.user.stream.duplicate.fills")
            .description("Fills dropped because their trade id was already applied")
            .register(registry);
  }

  void frame(UserDataParser.Outcome outcome) {
    frames.get(outcome).increment();
  }

  void reconnect() {
    reconnects.increment();
  }

  void duplicateFill() {
    duplicateFills.increment();
  }

  long duplicateFills() {
    return (long) duplicateFills.count();
  }
}
