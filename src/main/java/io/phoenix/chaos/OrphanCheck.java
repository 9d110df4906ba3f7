package io.phoenix.chaos;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * No orphan: an order open on the exchange whose client id carries the node's prefix, unknown to
 * the node's gateway, for longer than the limit. Samples without both sides are skipped (ages run
 * on).
 */
public final class OrphanCheck implements Check {
  private final String idPrefix;
  private final AgeTracker ages;

  /**
   * @param clientOrderIdPrefix the gateway's prefix; our ids are {@code prefix-...}
   */
  public OrphanCheck(String clientOrderIdPrefix, long maxAgeMillis) {
    this.idPrefix = clientOrderIdPrefix + "-";
    this.ages = new AgeTracker(maxAgeMillis);
  }

  @Override
  public void observe(Sample s) {
    if (s.exchange() == null || s.node() == null || s.node().orders() == null) {
      return;
    }
    Set<String> known = new HashSet<>();
    s.node().orders().forEach(o -> known.add(o.clientOrderId()));
    Map<String, String> orphans = new HashMap<>();
    for (Sample.ExchangeOrder o : s.exchange().openOrders()) {
      if (o.clientOrderId().startsWith(idPrefix) && !known.contains(o.clientOrderId())) {
        orphans.put(o.clientOrderId(), o.symbol());
      }
    }
    ages.seen(s.atMillis(), orphans);
  }

  @Override
  public Verdict verdict() {
    return ages.verdict("orphans (open on exchange, unknown to node)");
  }
}
