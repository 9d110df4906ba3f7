package io.phoenix.risk;

/**
 * Outcome of one pre-trade check, written into a reused instance so the check allocates nothing.
 * The actor copies it into an immutable reply.
 */
public final class PreTradeResult {
  /** Decision kind. */
  public enum Verdict {
    APPROVE,
    CLAMP,
    REJECT
  }

  Verdict verdict = Verdict.REJECT;
  RiskReason reason = RiskReason.NONE;
  long qtySteps;

  public Verdict verdict() {
    return verdict;
  }

  public RiskReason reason() {
    return reason;
  }

  /** Approved quantity (the clamped one for CLAMP; 0 for REJECT). */
  public long qtySteps() {
    return qtySteps;
  }

  public boolean approved() {
    return verdict != Verdict.REJECT;
  }

  PreTradeResult reject(RiskReason why) {
    verdict = Verdict.REJECT;
    reason = why;
    qtySteps = 0;
    return this;
  }

  PreTradeResult pass(long qty, RiskReason clampReason) {
    verdict = clampReason == RiskReason.NONE ? Verdict.APPROVE : Verdict.CLAMP;
    reason = clampReason;
    qtySteps = qty;
    return this;
  }
}
