package io.phoenix.model;

import io.phoenix.model.AccountEvent.BalanceUpdate;
import java.util.HashMap;
import java.util.Map;

/**
 * Latest balance per asset, and the funding amount an {@code ACCOUNT_UPDATE} with reason {@code
 * FUNDING_FEE} implies. Binance's {@code bc} (balance change other than PnL and commission) should
 * carry the payment, but documented examples show {@code "0"}, so when it is zero the amount falls
 * back to the wallet delta against the previous update of the asset. Not thread-safe: owned by one
 * actor.
 */
public final class Balances {
  public static final String FUNDING_FEE = "FUNDING_FEE";

  private final Map<String, BalanceUpdate> latest = new HashMap<>();

  /**
   * Records the update and returns the funding amount it implies: NaN when it is not a funding
   * update, or when the amount cannot be known (zero {@code bc} and no earlier wallet).
   */
  public double apply(BalanceUpdate update) {
    BalanceUpdate previous = latest.put(update.asset(), update);
    if (!FUNDING_FEE.equals(update.reason())) {
      return Double.NaN;
    }
    if (update.balanceChange() != 0) {
      return update.balanceChange();
    }
    return previous == null ? Double.NaN : update.wallet() - previous.wallet();
  }

  /** Wallet balance of the asset, NaN if never reported. */
  public double wallet(String asset) {
    BalanceUpdate b = latest.get(asset);
    return b == null ? Double.NaN : b.wallet();
  }

  /** Latest update per asset (a copy). */
  public Map<String, BalanceUpdate> snapshot() {
    return Map.copyOf(latest);
  }
}
