package io.phoenix.chaos;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * No phantom: an order the node's gateway holds live, with no request or query in flight, that is
 * not open on the exchange, for longer than the limit. Samples without both sides are skipped.
 */
public final class PhantomCheck implements Check {
  private final AgeTracker ages;

  public PhantomCheck(long maxAgeMillis) {
    this.ages = new AgeTracker(maxAgeMillis);
  }

  @Override
  public void observe(Sample s) {
    if (s.exchange() == null || s.node() == null || s.node().orders() == null) {
      return;
    }
    Set<String> open = new HashSet<>();
    s.exchange().openOrders().forEach(o -> open.add(o.clientOrderId()));
    Map<String, String> phantoms = new HashMap<>();
    for (Sample.NodeOrder o : s.node().orders()) {
      if (!o.inFlight() && !open.contains(o.clientOrderId())) {
        phantoms.put(o.clientOrderId(), o.symbol());
      }
    }
    ages.seen(s.atMillis(), phantoms);
  }

  @Override
  public Verdict verdict() {
    return ages.verdict("phantoms (live in node, not on exchange)");
  }
}
