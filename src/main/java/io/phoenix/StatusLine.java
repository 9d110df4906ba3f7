package io.phoenix;

import io.phoenix.core.Instrument;
import io.phoenix.ops.LatencyRecorder;
import io.phoenix.ops.LatencyRecorder.Stage;
import io.phoenix.quoting.QuoterStatus;

/**
 * The periodic status lines: one per quoter and one for the hot-path latency (allocate: once per
 * status interval, off the hot path).
 */
final class StatusLine {
  private StatusLine() {}

  static String format(QuoterStatus s, Instrument ins) {
    StringBuilder b = new StringBuilder(160);
    b.append(s.symbol())
        .append(' ')
        .append(
            s.halt() == io.phoenix.quoting.QuoterCore.Halt.NONE ? "quoting" : "halted:" + s.halt());
    b.append(" bid ");
    price(b, ins, s.bidPrice());
    b.append(" ask ");
    price(b, ins, s.askPrice());
    b.append(" orders ").append(s.workingOrders());
    b.append(" pos ");
    ins.quantity().appendTo(b, s.positionSteps());
    b.append(" rpnl ").append(String.format(java.util.Locale.ROOT, "%.4f", s.realisedPnl()));
    b.append(" upnl ").append(String.format(java.util.Locale.ROOT, "%.4f", s.unrealisedPnl()));
    QuoterStatus.Edge e = s.edge();
    if (e != null) {
      b.append(" fees ").append(String.format(java.util.Locale.ROOT, "%.4f", e.fees()));
      b.append(" net ").append(String.format(java.util.Locale.ROOT, "%.4f", e.netPnl()));
      b.append(" markout 1s/10s ")
          .append(bps(e.markout1sBps()))
          .append('/')
          .append(bps(e.markout10sBps()))
          .append(" bps");
      if (e.adaptiveBidBps() > 0 || e.adaptiveAskBps() > 0) {
        b.append(" adaptive +")
            .append(bps(e.adaptiveBidBps()))
            .append("/+")
            .append(bps(e.adaptiveAskBps()));
      }
    }
    b.append(" fills ").append(s.fills()).append(" (buy ");
    ins.quantity().appendTo(b, s.filledBuySteps());
    b.append(" / sell ");
    ins.quantity().appendTo(b, s.filledSellSteps());
    b.append(") rejects ")
        .append(s.rejects())
        .append(" (post-only ")
        .append(s.postOnlyRejects())
        .append(')');
    if (s.rateHoldSkips() > 0) {
      b.append(" rate-held ").append(s.rateHoldSkips());
    }
    if (s.positionLimitHolds() > 0) {
      b.append(" limit-held ").append(s.positionLimitHolds());
    }
    b.append(' ')
        .append(String.format(java.util.Locale.ROOT, "%.1f", s.ordersPerSecond()))
        .append(" orders/s");
    return b.toString();
  }

  /**
   * The hot-path stages over the recorder's window, e.g. {@code latency frame->decision p50 12us
   * p99 40us | ->risk p50 .. | ->write .. | frame->write .. | write->ack .. (n 812) | budget wait
   * p50 .. (held 3)}; {@code -} for a stage without samples. The decision/risk/write stages are
   * measured from one frame.
   */
  static String latency(LatencyRecorder recorder) {
    recorder.refresh();
    StringBuilder b = new StringBuilder(200).append("latency");
    stage(b, " frame->decision", recorder, Stage.FRAME_TO_DECISION);
    stage(b, " | ->risk", recorder, Stage.DECISION_TO_RISK);
    stage(b, " | ->write", recorder, Stage.RISK_TO_WRITE);
    stage(b, " | frame->write", recorder, Stage.FRAME_TO_WRITE);
    stage(b, " | write->ack", recorder, Stage.WRITE_TO_ACK);
    b.append(" (n ").append(recorder.count(Stage.FRAME_TO_WRITE)).append(')');
    stage(b, " | budget wait", recorder, Stage.BUDGET_WAIT);
    b.append(" (held ").append(recorder.count(Stage.BUDGET_WAIT)).append(')');
    return b.toString();
  }

  private static void stage(StringBuilder b, String name, LatencyRecorder recorder, Stage stage) {
    b.append(name);
    if (recorder.count(stage) == 0) {
      b.append(" -");
      return;
    }
    b.append(" p50 ");
    micros(b, recorder.valueAt(stage, 0.5));
    b.append(" p99 ");
    micros(b, recorder.valueAt(stage, 0.99));
  }

  /** Microseconds, one decimal below 10 us; milliseconds from 10 ms up. */
  static void micros(StringBuilder b, long nanos) {
    if (nanos >= 10_000_000L) {
      b.append(nanos / 1_000_000L).append("ms");
    } else if (nanos >= 10_000L) {
      b.append(nanos / 1_000L).append("us");
    } else {
      long tenths = (nanos + 50) / 100;
      b.append(tenths / 10).append('.').append(tenths % 10).append("us");
    }
  }

  private static String bps(double v) {
    return Double.isNaN(v) ? "-" : String.format(java.util.Locale.ROOT, "%.2f", v);
  }

  private static void price(StringBuilder b, Instrument ins, long ticks) {
    if (ticks <= 0) {
      b.append('-');
    } else {
      ins.price().appendTo(b, ticks);
    }
  }
}
