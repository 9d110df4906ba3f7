package io.phoenix.sim;

import io.phoenix.sim.engine.PositionSide;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.StpMode;
import io.phoenix.sim.engine.TimeInForce;
import java.util.regex.Pattern;

/** Binance's enum and client-id fields of order requests, with the error each bad value earns. */
final class OrderFields {
  static final Pattern CLIENT_ID = Pattern.compile("^[\\.A-Z\\:/a-z0-9_-]{1,36}$");

  private OrderFields() {}

  static Side side(String s) {
    return switch (s) {
      case "BUY" -> Side.BUY;
      case "SELL" -> Side.SELL;
      default -> throw Rejection.bad(-1117, "Invalid side.");
    };
  }

  static TimeInForce tif(String s) {
    return switch (s) {
      case "GTC" -> TimeInForce.GTC;
      case "IOC" -> TimeInForce.IOC;
      case "FOK" -> TimeInForce.FOK;
      case "GTX" -> TimeInForce.GTX;
      default -> throw Rejection.bad(-1115, "Invalid timeInForce.");
    };
  }

  static PositionSide positionSide(String s) {
    if (s == null) {
      return PositionSide.BOTH;
    }
    return switch (s) {
      case "BOTH" -> PositionSide.BOTH;
      case "LONG" -> PositionSide.LONG;
      case "SHORT" -> PositionSide.SHORT;
      default -> throw Rejection.bad(-1130, "Data sent for parameter 'positionSide' is not valid.");
    };
  }

  static StpMode stp(String s) {
    if (s == null) {
      return StpMode.NONE;
    }
    try {
      return StpMode.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw Rejection.bad(-5039, "Invalid self trade prevention mode.");
    }
  }
}
