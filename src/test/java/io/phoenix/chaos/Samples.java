package io.phoenix.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Builds crafted samples for the check tests. */
final class Samples {
  private long at;
  private Sample.Phase phase = Sample.Phase.CLEAR;
  private final List<Sample.ExchangeOrder> exchangeOrders = new ArrayList<>();
  private final Map<String, Long> exchangePositions = new HashMap<>();
  private final Map<String, Double> marks = new HashMap<>();
  private final Map<String, Long> sinceLastFill = new HashMap<>();
  private Long sinceLastFillAll;
  private boolean exchangeUp = true;
  private final List<Sample.NodeOrder> nodeOrders = new ArrayList<>();
  private boolean gatewayAnswers = true;
  private final Map<String, Sample.QuoterView> quoters = new HashMap<>();
  private Map<String, Long> riskPositions = new HashMap<>();

  static Samples at(long millis) {
    Samples s = new Samples();
    s.at = millis;
    return s;
  }

  Samples phase(Sample.Phase p) {
    phase = p;
    return this;
  }

  Samples onExchange(String symbol, String clientOrderId) {
    exchangeOrders.add(new Sample.ExchangeOrder(symbol, clientOrderId));
    return this;
  }

  Samples inNode(String symbol, String clientOrderId, boolean inFlight) {
    nodeOrders.add(new Sample.NodeOrder(symbol, clientOrderId, inFlight));
    return this;
  }

  Samples gatewaySilent() {
    gatewayAnswers = false;
    return this;
  }

  Samples exchangeDown() {
    exchangeUp = false;
    return this;
  }

  Samples position(String symbol, long exchange, long quoter, long risk, double mark) {
    exchangePositions.put(symbol, exchange);
    marks.put(symbol, mark);
    quoters.put(symbol, new Sample.QuoterView("NONE", true, quoter));
    riskPositions.put(symbol, risk);
    return this;
  }

  Samples quoter(String symbol, String halt, boolean quoting) {
    Sample.QuoterView old = quoters.get(symbol);
    quoters.put(
        symbol, new Sample.QuoterView(halt, quoting, old == null ? 0 : old.positionSteps()));
    return this;
  }

  /** Every symbol with a position had its last fill {@code millis} ago. */
  Samples sinceLastFill(long millis) {
    sinceLastFillAll = millis;
    return this;
  }

  Samples sinceLastFill(String symbol, long millis) {
    sinceLastFill.put(symbol, millis);
    return this;
  }

  Sample build() {
    Map<String, Long> since = new HashMap<>();
    if (sinceLastFillAll != null) {
      exchangePositions.keySet().forEach(symbol -> since.put(symbol, sinceLastFillAll));
    }
    since.putAll(sinceLastFill);
    Sample.Exchange ex =
        exchangeUp
            ? new Sample.Exchange(
                List.copyOf(exchangeOrders),
                Map.copyOf(exchangePositions),
                Map.copyOf(marks),
                since)
            : null;
    Sample.Node node =
        new Sample.Node(
            gatewayAnswers ? List.copyOf(nodeOrders) : null, Map.copyOf(quoters), riskPositions);
    return new Sample(at, phase, ex, node);
  }
}
