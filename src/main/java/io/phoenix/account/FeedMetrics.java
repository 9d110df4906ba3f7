package io.phoenix.account;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.phoenix.binance.ws.UserDataParser;
import io.phoenix.execution.Reconciler;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counters of the user stream and reconciliation, registered once per feed; Micrometer returns
 * the existing meter on re-registration, so a restarted feed keeps counting into the same series.
 * Prometheus names: {@code phoenix_user_stream_frames_total{outcome}},
 * {@code phoenix_user_stream_reconnects_total}, {@code phoenix_user_stream_duplicate_fills_total},
 * {@code phoenix_reconcile_differences_total{kind}}, {@code phoenix_reconcile_runs_total{result}},
 * {@code phoenix_reconcile_orphans_cancelled_total}, {@code phoenix_reconcile_query_failures_total}.
 */
final class FeedMetrics {
  private final Map<UserDataParser.Outcome, Counter> frames = new EnumMap<>(UserDataParser.Outcome.class);
  private final Map<Reconciler.Kind, Counter> differences = new EnumMap<>(Reconciler.Kind.class);
  private final Counter reconnects;
  private final Counter duplicateFills;
  private final Counter runsOk;
  private final Counter runsFailed;
  private final Counter orphansCancelled;
  private final Counter balanceDifferences;
  private final Counter queryFailures;

  FeedMetrics(MeterRegistry registry) {
    for (UserDataParser.Outcome o : UserDataParser.Outcome.values()) {
      frames.put(o, Counter.builder("phoenix.user.stream.frames").tag("outcome", o.name().toLowerCase(Locale.ROOT))
          .description("User data stream frames by parse outcome").register(registry));
    }
    for (Reconciler.Kind k : Reconciler.Kind.values()) {
      differences.put(k, Counter.builder("phoenix.reconcile.differences").tag("kind", k.tag())
          .description("Differences between the exchange and the local view").register(registry));
    }
    balanceDifferences = Counter.builder("phoenix.reconcile.differences").tag("kind", "balance")
        .description("Differences between the exchange and the local view").register(registry);
    reconnects = Counter.builder("phoenix.user.stream.reconnects").register(registry);
    duplicateFills = Counter.builder("phoenix.user.stream.duplicate.fills")
        .description("Fills dropped because their trade id was already applied").register(registry);
    runsOk = Counter.builder("phoenix.reconcile.runs").tag("result", "ok").register(registry);
    runsFailed = Counter.builder("phoenix.reconcile.runs").tag("result", "failed").register(registry);
    orphansCancelled = Counter.builder("phoenix.reconcile.orphans.cancelled").register(registry);
    queryFailures = Counter.builder("phoenix.reconcile.query.failures")
        .description("Order lookups of a reconciliation run that failed (the order is looked at again next run)")
        .register(registry);
  }

  void queryFailure() {
    queryFailures.increment();
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

  void difference(Reconciler.Kind kind) {
    differences.get(kind).increment();
  }

  void balanceDifference() {
    balanceDifferences.increment();
  }

  void run(boolean ok) {
    (ok ? runsOk : runsFailed).increment();
  }

  void orphanCancelled() {
    orphansCancelled.increment();
  }
}
