package io.phoenix.risk;

/**
 * The latch that stops new orders: the first trip wins (its reason, detail and time are kept) and
 * later trips change nothing until it is cleared.
 */
final class KillSwitch {
  private boolean tripped;
  private RiskReason reason = RiskReason.NONE;
  private String detail = "";
  private long trippedAtMillis;

  /** Trips the switch (idempotent); returns the reason. */
  RiskReason trip(RiskReason why, String what, long nowMillis) {
    if (!tripped) {
      tripped = true;
      reason = why;
      detail = what;
      trippedAtMillis = nowMillis;
    }
    return why;
  }

  void clear() {
    tripped = false;
    reason = RiskReason.NONE;
    detail = "";
  }

  boolean tripped() {
    return tripped;
  }

  RiskReason reason() {
    return reason;
  }

  String detail() {
    return detail;
  }

  long trippedAtMillis() {
    return trippedAtMillis;
  }

  void validateInvariants() {
    if (!tripped && (reason != RiskReason.NONE || !detail.isEmpty())) {
      throw new IllegalStateException("kill switch cleared but still has a reason: " + reason);
    }
  }
}
