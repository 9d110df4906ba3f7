package io.phoenix.reconcile;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * Counters of reconciliation, registered once per feed that drives it; Micrometer returns the
 * existing meter on re-registration, so a restarted feed keeps counting into the same series.
 * Prometheus names: {@code phoenix_reconcile_differences_total{kind}}, {@code
 * phoenix_reconcile_runs_total{result}}, {@code phoenix_reconcile_orphans_cancelled_total}, {@code
 * phoenix_reconcile_query_failures_total}.
 */
public final class ReconcileMetrics {
  private final Map<Reconciler.Kind, Counter> differences = new EnumMap<>(Reconciler.Kind.class);
  private final Counter runsOk;
  private final Counter runsFailed;
  private final Counter orphansCancelled;
  private final Counter balanceDifferences;
  private final Counter queryFailures;

  public ReconcileMetrics(MeterRegistry registry) {
    for (Reconciler.Kind k : Reconciler.Kind.values()) {
      differences.put(
          k,
          Counter.builder("phoenix.reconcile.differences")
              .tag("kind", k.tag())
              .description("Differences between the exchange and the local view")
              .register(registry));
    }
    balanceDifferences =
        Counter.builder("phoenix.reconcile.differences")
            .tag("kind", "balance")
            .description("Differences between the exchange and the local view")
            .register(registry);
    runsOk = Counter.builder("phoenix.reconcile.runs").tag("result", "ok").register(registry);
    runsFailed =
        Counter.builder("phoenix.reconcile.runs").tag("result", "failed").register(registry);
    orphansCancelled = Counter.builder("phoenix.reconcile.orphans.cancelled").register(registry);
    queryFailures =
        Counter.builder("phoenix.reconcile.query.failures")
            .description(
                "Order lookups of a reconciliation run that failed (the order is looked at again next run)")
            .register(registry);
  }

  void queryFailure() {
    queryFailures.increment();
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
