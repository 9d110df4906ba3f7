package io.phoenix.sim.engine;

import java.math.BigDecimal;

/**
 * Binance's error codes and messages as the simulator returns them. Public so that the server's own
 * parameter checks (parsing, mandatory fields) answer with the same text as the engine.
 */
public final class SimErrors {
  private SimErrors() {}

  public static SimError badSymbol() {
    return new SimError(-1121, "Invalid symbol.");
  }

  public static SimError mandatory(String param) {
    return new SimError(
        -1102, "Mandatory parameter '" + param + "' was not sent, was empty/null, or malformed.");
  }

  public static SimError notRequired(String param) {
    return new SimError(-1106, "Parameter '" + param + "' sent when not required.");
  }

  public static SimError invalidParameter(String param) {
    return new SimError(-1130, "Data sent for parameter '" + param + "' is not valid.");
  }

  public static SimError invalidTimeInForce() {
    return new SimError(-1115, "Invalid timeInForce.");
  }

  public static SimError marginInsufficient() {
    return new SimError(-2019, "Margin is insufficient.");
  }

  public static SimError unknownOrder() {
    return new SimError(-2011, "Unknown order sent.");
  }

  public static SimError noSuchOrder() {
    return new SimError(-2013, "Order does not exist.");
  }

  public static SimError reduceOnlyRejected() {
    return new SimError(-2022, "ReduceOnly Order is rejected.");
  }

  public static SimError maxOpenOrders() {
    return new SimError(-2025, "Reach max open order limit.");
  }

  public static SimError priceAboveMax() {
    return new SimError(-4002, "Price greater than max price.");
  }

  public static SimError qtyNotPositive() {
    return new SimError(-4003, "Quantity less than or equal to zero.");
  }

  public static SimError qtyBelowMin() {
    return new SimError(-4004, "Quantity less than min quantity.");
  }

  public static SimError qtyAboveMax() {
    return new SimError(-4005, "Quantity greater than max quantity.");
  }

  public static SimError priceBelowMin() {
    return new SimError(-4013, "Price less than min price.");
  }

  public static SimError tickSize() {
    return new SimError(-4014, "Price not increased by tick size.");
  }

  public static SimError invalidClientOrderId() {
    return new SimError(-4015, "Client order id is not valid.");
  }

  public static SimError priceAboveBand(String limit) {
    return new SimError(-4016, "Limit price can't be higher than " + limit + ".");
  }

  public static SimError stepSize() {
    return new SimError(-4023, "Quantity not increased by step size.");
  }

  public static SimError priceBelowBand(String limit) {
    return new SimError(-4024, "Limit price can't be lower than " + limit + ".");
  }

  public static SimError invalidLeverage(int leverage) {
    return new SimError(-4028, "Leverage " + leverage + " is not valid");
  }

  public static SimError marginTypeUnchanged() {
    return new SimError(-4046, "No need to change margin type.");
  }

  public static SimError marginTypeOpenOrders() {
    return new SimError(-4047, "Margin type cannot be changed if there exists open orders.");
  }

  public static SimError marginTypePosition() {
    return new SimError(-4048, "Margin type cannot be changed if there exists position.");
  }

  public static SimError positionSideUnchanged() {
    return new SimError(-4059, "No need to change position side.");
  }

  public static SimError positionSideMismatch() {
    return new SimError(-4061, "Order's position side does not match user's setting.");
  }

  public static SimError positionSideOpenOrders() {
    return new SimError(-4067, "Position side cannot be changed if there exists open orders.");
  }

  public static SimError positionSidePosition() {
    return new SimError(-4068, "Position side cannot be changed if there exists position.");
  }

  public static SimError duplicateClientOrderId() {
    return new SimError(-4116, "ClientOrderId is duplicated.");
  }

  public static SimError minNotional(double notional) {
    return new SimError(
        -4164,
        "Order's notional must be no smaller than "
            + plain(notional)
            + " (unless you choose reduce only).");
  }

  public static SimError fokRejected() {
    return new SimError(
        -5021,
        "Due to the order could not be filled immediately, the FOK order has been rejected. The order"
            + " will not be recorded in the order history");
  }

  public static SimError gtxRejected() {
    return new SimError(
        -5022,
        "Due to the order could not be executed as maker, the Post Only order will be rejected. The"
            + " order will not be recorded in the order history");
  }

  public static SimError limitOrderOnly() {
    return new SimError(-5025, "Only limit order is supported.");
  }

  public static SimError noNeedToModify() {
    return new SimError(-5027, "No need to modify the order.");
  }

  public static SimError modifyMinNotional(double notional) {
    return new SimError(-5029, "Order's notional must be no smaller than " + plain(notional));
  }

  public static SimError wouldImmediatelyTrigger() {
    return new SimError(-2021, "Order would immediately trigger.");
  }

  public static SimError maxStopOrders() {
    return new SimError(-4045, "Reach max stop order limit.");
  }

  public static SimError marginNotIsolated() {
    return new SimError(-4053, "Auto add margin only support on isolated position.");
  }

  public static SimError noPositionForMargin() {
    return new SimError(-4054, "Cannot add position margin: position is 0.");
  }

  public static SimError crossBalanceInsufficient() {
    return new SimError(-4050, "Cross balance insufficient.");
  }

  public static SimError isolatedBalanceInsufficient() {
    return new SimError(-4051, "Isolated balance insufficient.");
  }

  private static String plain(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }
}
