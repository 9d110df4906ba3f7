package io.phoenix.risk;

/**
 * What outlives a supervised restart of the risk actor besides the quoters: the day's accounts
 * (else a crash would reset the daily-loss and drawdown baselines) and a tripped kill switch (an
 * operator's or a breach's stop must not be undone by a crash). Allocated in {@code Risk.create},
 * outside the behavior's setup, so every incarnation sees the same one.
 */
final class RestartMemory {
  private RiskReason tripReason;
  private String tripDetail;
  private long trippedAtMillis;
  private RiskLedger ledger;

  /** Taken on the way down: the next incarnation continues the day's accounts. */
  void keepLedger(RiskEngine engine) {
    ledger = engine.ledger();
  }

  void keepTrip(RiskEngine engine) {
    tripReason = engine.tripReason();
    tripDetail = engine.tripDetail();
    trippedAtMillis = engine.trippedAtMillis();
  }

  /** The kill switch was reset or cleared: a restart must not trip it again. */
  void forgetTrip() {
    tripReason = null;
  }

  /**
   * Continues an earlier incarnation's ledger and kill switch in a fresh engine; true when the kill
   * switch is tripped again.
   */
  boolean restoreInto(RiskEngine engine) {
    if (ledger != null) {
      engine.restore(ledger);
    }
    if (tripReason != null) {
      engine.trip(tripReason, tripDetail, trippedAtMillis);
      return true;
    }
    return false;
  }
}
