package io.phoenix.sim.engine;

/**
 * When a conditional order fires, by Binance's rules. STOP(_MARKET): a BUY fires when the watched
 * price reaches the trigger from below, a SELL from above; TAKE_PROFIT(_MARKET) the other way
 * round. TRAILING_STOP_MARKET activates once the price has reached the activation price (at once
 * without one), then follows the best price since: a SELL fires when the price falls {@code
 * callbackRate} % below the highest, a BUY when it rises that much above the lowest.
 */
final class AlgoTrigger {
  private final AlgoType type;
  private final Side side;
  private final long triggerTicks;
  private final long activateTicks;
  private final double callback;
  private boolean active;
  private long extreme;

  AlgoTrigger(
      AlgoType type, Side side, long triggerTicks, long activateTicks, double callbackRatePercent) {
    this.type = type;
    this.side = side;
    this.triggerTicks = triggerTicks;
    this.activateTicks = activateTicks;
    this.callback = callbackRatePercent / 100.0;
    this.active = activateTicks <= 0;
  }

  /**
   * True when a new order at these prices would fire at once (Binance refuses it with -2021).
   * {@code price} is the current watched price.
   */
  static boolean wouldTriggerImmediately(AlgoType type, Side side, long triggerTicks, long price) {
    return switch (type) {
      case STOP, STOP_MARKET -> side == Side.BUY ? price >= triggerTicks : price <= triggerTicks;
      case TAKE_PROFIT, TAKE_PROFIT_MARKET ->
          side == Side.BUY ? price <= triggerTicks : price >= triggerTicks;
      case TRAILING_STOP_MARKET -> false;
    };
  }

  /** Starts tracking from the price at placement. */
  void start(long price) {
    extreme = price;
    if (!active && reached(price)) {
      active = true;
    }
  }

  /**
   * Feeds the lowest, highest and last watched price since the previous call; true when the order
   * fires.
   */
  boolean update(long low, long high, long last) {
    if (type != AlgoType.TRAILING_STOP_MARKET) {
      return wouldTriggerImmediately(
          type,
          side,
          triggerTicks,
          side == Side.BUY
              ? (type == AlgoType.STOP || type == AlgoType.STOP_MARKET ? high : low)
              : (type == AlgoType.STOP || type == AlgoType.STOP_MARKET ? low : high));
    }
    if (!active) {
      if (!reached(side == Side.SELL ? high : low)) {
        return false;
      }
      active = true;
      extreme = side == Side.SELL ? Math.max(activateTicks, high) : Math.min(activateTicks, low);
    }
    extreme = side == Side.SELL ? Math.max(extreme, high) : Math.min(extreme, low);
    return side == Side.SELL
        ? last <= extreme * (1 - callback) + 1e-9
        : last >= extreme * (1 + callback) - 1e-9;
  }

  private boolean reached(long price) {
    return side == Side.SELL ? price >= activateTicks : price <= activateTicks;
  }

  boolean active() {
    return active;
  }

  long extreme() {
    return extreme;
  }
}
