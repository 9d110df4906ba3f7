package io.phoenix.risk;

/** Why an intent was clamped or rejected, or why the kill switch tripped. */
public enum RiskReason {
  NONE(false),
  KILL_SWITCH(false),
  UNKNOWN_SYMBOL(false),
  DUPLICATE_CLIENT_ORDER_ID(false),
  PRICE_FILTER(false),
  QUANTITY_FILTER(false),
  MIN_NOTIONAL(false),
  NO_MARK_PRICE(false),
  STALE_DATA(false),
  PRICE_BAND(false),
  PERCENT_PRICE(false),
  SELF_CROSS(false),
  MAX_OPEN_ORDERS(false),
  MAX_OPEN_ORDERS_SYMBOL(false),
  ORDER_RATE(false),
  MAX_ORDER_QUANTITY(false),
  MAX_ORDER_NOTIONAL(false),
  MAX_POSITION(false),
  MAX_GROSS_EXPOSURE(false),
  UNKNOWN_ORDER(false),
  /**
   * New orders wait until risk has read the positions from the exchange (at start, after a
   * restart).
   */
  POSITIONS_UNKNOWN(false),
  /** Hard: loss since the UTC day start beyond the limit. */
  DAILY_LOSS(true),
  /** Hard: PnL fell from its peak by more than the limit. */
  DRAWDOWN(true),
  /** Hard: too many exchange rejects in a row. */
  CONSECUTIVE_REJECTS(true),
  /** Hard: an actual position beyond the limit (plus drift allowance). */
  POSITION_BREACH(true),
  /** Hard: actual gross exposure beyond the limit (plus drift allowance). */
  GROSS_BREACH(true),
  /**
   * Hard: the exchange banned this IP (HTTP 418) for ignoring rate limits. Sending resumes only
   * when an operator has looked at why, not when the ban expires.
   */
  IP_BANNED(true),
  /** Hard: an operator stopped trading. */
  OPERATOR(true);

  private final boolean hard;

  RiskReason(boolean hard) {
    this.hard = hard;
  }

  /** True for portfolio breaches that trip the kill switch. */
  public boolean isHard() {
    return hard;
  }
}
