package io.phoenix;

import io.phoenix.core.Instrument;
import io.phoenix.quoting.Quoter;

/** The periodic one-line status of a quoter (allocates: once per status interval, off the hot path). */
final class StatusLine {
  private StatusLine() {}

  static String format(Quoter.Status s, Instrument ins) {
    StringBuilder b = new StringBuilder(160);
    b.append(s.symbol()).append(' ').append(s.halt() == io.phoenix.quoting.QuoterCore.Halt.NONE ? "quoting" : "halted:" + s.halt());
    b.append(" bid ");
    price(b, ins, s.bidPrice());
    b.append(" ask ");
    price(b, ins, s.askPrice());
    b.append(" orders ").append(s.workingOrders());
    b.append(" pos ");
    ins.quantity().appendTo(b, s.positionSteps());
    b.append(" rpnl ").append(String.format(java.util.Locale.ROOT, "%.4f", s.realisedPnl()));
    b.append(" upnl ").append(String.format(java.util.Locale.ROOT, "%.4f", s.unrealisedPnl()));
    b.append(" fills ").append(s.fills()).append(" (buy ");
    ins.quantity().appendTo(b, s.filledBuySteps());
    b.append(" / sell ");
    ins.quantity().appendTo(b, s.filledSellSteps());
    b.append(") rejects ").append(s.rejects()).append(" (post-only ").append(s.postOnlyRejects()).append(')');
    b.append(' ').append(String.format(java.util.Locale.ROOT, "%.1f", s.ordersPerSecond())).append(" orders/s");
    return b.toString();
  }

  private static void price(StringBuilder b, Instrument ins, long ticks) {
    if (ticks <= 0) {
      b.append('-');
    } else {
      ins.price().appendTo(b, ticks);
    }
  }
}
