package io.phoenix;

import io.micrometer.core.instrument.Tags;
import io.phoenix.core.Instrument;
import io.phoenix.ops.Metrics;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What the guardian collects at its status tick: the latest status of every quoter and of risk.
 * Each arrival is published to {@link NodeProbes} (gauges, ops view), logged as a status line per
 * symbol, and risk's cumulative reject counts become increments of {@code phoenix.order.rejects}.
 * Plain state owned by the guardian; only its thread calls it.
 */
final class StatusBoard {
  private final Metrics metrics;
  private final NodeProbes probes;
  private final Map<String, QuoterStatus> quoters = new HashMap<>();
  private final Map<RiskReason, Long> riskRejectsSeen = new HashMap<>();
  private Risk.RiskState risk;

  StatusBoard(Metrics metrics, NodeProbes probes) {
    this.metrics = metrics;
    this.probes = probes;
  }

  /** The reject-counter code of a local risk reason (exchange codes are numbers). */
  static String code(RiskReason reason) {
    return "risk-" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  void quoter(QuoterStatus status, Instrument instrument, Logger log) {
    quoters.put(status.symbol(), status);
    probes.quoter(status);
    if (instrument != null) {
      log.info(StatusLine.format(status, instrument));
    }
  }

  void risk(Risk.RiskState state) {
    risk = state;
    probes.risk(state);
    countRiskRejects(state);
  }

  /** The latest status of each of {@code symbols} that has reported, in their order. */
  List<QuoterStatus> quoters(Collection<String> symbols) {
    List<QuoterStatus> list = new ArrayList<>();
    for (String symbol : symbols) {
      QuoterStatus s = quoters.get(symbol);
      if (s != null) {
        list.add(s);
      }
    }
    return List.copyOf(list);
  }

  /** Null before risk first reported. */
  Risk.RiskState risk() {
    return risk;
  }

  /** Risk's reject counts are cumulative: the counter gets the increase since the last state. */
  private void countRiskRejects(Risk.RiskState state) {
    if (state.rejectsByReason() == null) {
      return;
    }
    state
        .rejectsByReason()
        .forEach(
            (reason, count) -> {
              long before = riskRejectsSeen.getOrDefault(reason, 0L);
              long delta =
                  count < before ? count : count - before; // a restarted risk starts from 0
              if (delta > 0) {
                metrics
                    .counter(
                        "phoenix.order.rejects",
                        "Order rejects by code (exchange error codes and local risk codes)",
                        Tags.of("code", code(reason)))
                    .increment(delta);
              }
              riskRejectsSeen.put(reason, count);
            });
  }
}
