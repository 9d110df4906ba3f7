package io.phoenix.chaos;

import java.util.List;
import java.util.Map;

/**
 * What the checker saw at one moment: the exchange (null while the venue is down or did not answer)
 * and the node (parts are null or missing when they did not answer in time). The node is read
 * before the exchange, so a fill between the two reads shows as a recent fill on the exchange and
 * its symbol is not quiet in that sample.
 *
 * @param atMillis milliseconds since the run's start
 */
public record Sample(long atMillis, Phase phase, Exchange exchange, Node node) {

  /** Where the sample lies relative to the fault windows. */
  public enum Phase {
    /** A fault is active. */
    FAULT,
    /** A fault ended less than the grace ago. */
    GRACE,
    /** No fault and no grace. */
    CLEAR,
    /** After the run: quoting stopped, every order cancelled, a quiet point by construction. */
    FINAL
  }

  /** One of our orders open on the exchange. */
  public record ExchangeOrder(String symbol, String clientOrderId) {}

  /**
   * @param positions signed position in steps per symbol
   * @param marks mark price per symbol (quote currency)
   * @param sinceLastFillMillis per symbol, time since our last fill on the exchange's clock
   *     (absent: none yet)
   */
  public record Exchange(
      List<ExchangeOrder> openOrders,
      Map<String, Long> positions,
      Map<String, Double> marks,
      Map<String, Long> sinceLastFillMillis) {

    public long sinceLastFill(String symbol) {
      return sinceLastFillMillis.getOrDefault(symbol, Long.MAX_VALUE);
    }
  }

  /**
   * An order the node's gateway holds live; {@code inFlight}: a request or a status query is
   * outstanding.
   */
  public record NodeOrder(String symbol, String clientOrderId, boolean inFlight) {}

  /**
   * One quoter's status.
   *
   * @param halt why it does not quote ("NONE" when it may)
   * @param quoting it may quote and has at least one working order
   */
  public record QuoterView(String halt, boolean quoting, long positionSteps) {}

  /**
   * @param orders the gateway's live orders, null when it did not answer
   * @param quoters by symbol; a quoter that did not answer is missing
   * @param riskPositions risk's positions in steps by symbol, null when it did not answer
   */
  public record Node(
      List<NodeOrder> orders, Map<String, QuoterView> quoters, Map<String, Long> riskPositions) {}

  /** Every one of {@code symbols} has a quoter that answered and quotes. */
  public boolean allQuoting(List<String> symbols) {
    if (node == null) {
      return false;
    }
    for (String s : symbols) {
      QuoterView q = node.quoters().get(s);
      if (q == null || !q.quoting()) {
        return false;
      }
    }
    return true;
  }
}
