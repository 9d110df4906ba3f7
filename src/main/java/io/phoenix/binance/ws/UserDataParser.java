package io.phoenix.binance.ws;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.BalanceUpdate;
import io.phoenix.model.AccountEvent.ExecutionType;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionSide;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.OrderState;
import io.phoenix.model.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Parses user data stream frames ({@code ORDER_TRADE_UPDATE}, {@code ACCOUNT_UPDATE}, {@code
 * listenKeyExpired}; {@code TRADE_LITE} is recognised and skipped because the full update for the
 * same fill follows) into {@link AccountEvent}s with Jackson's streaming parser, converting prices
 * and quantities to ticks and steps of the symbol's {@link Instrument}.
 *
 * <p>Keys are matched case-sensitively ({@code s}/{@code S}, {@code l}/{@code L} differ), in any
 * order, and the combined-stream wrapper {@code {"stream":..,"data":{..}}} is unwrapped. A frame is
 * all or nothing: a malformed frame adds no events, is counted, and its reason is kept in {@link
 * #lastError()}; no exception escapes. Not thread-safe: one parser per feed actor.
 */
public final class UserDataParser {

  /** What a frame turned out to be. */
  public enum Outcome {
    /** Events were appended to the output list. */
    EVENTS,
    /** {@code listenKeyExpired}: the stream will deliver nothing more on this key. */
    LISTEN_KEY_EXPIRED,
    /** A valid frame of a type the account does not use (TRADE_LITE, MARGIN_CALL, replies...). */
    IGNORED,
    /** An order update for a symbol the instrument lookup does not know. */
    UNKNOWN_SYMBOL,
    /** Not JSON, or a required field is missing or invalid; see {@link #lastError()}. */
    MALFORMED
  }

  private static final JsonFactory JSON = new JsonFactory();

  private final Function<String, Instrument> instruments;
  private final OrderFields order = new OrderFields();
  private final List<BalanceFields> balances = new ArrayList<>();
  private final List<PositionFields> positions = new ArrayList<>();
  private String lastError = "";
  private String lastEventType = "";
  private long malformed;
  private long unknownSymbols;
  private long ignored;

  /**
   * @param instruments lookup by exchange symbol (upper case); returns null for a symbol not traded
   */
  public UserDataParser(Function<String, Instrument> instruments) {
    this.instruments = instruments;
  }

  /**
   * Parses one text frame, appending its events to {@code out}. On any outcome other than {@link
   * Outcome#EVENTS} nothing is appended.
   */
  public Outcome parse(String frame, List<AccountEvent> out) {
    int mark = out.size();
    try (JsonParser p = JSON.createParser(frame)) {
      return parseFrame(p, out, mark);
    } catch (IOException | RuntimeException e) {
      return malformed(out, mark, "not valid JSON: " + e.getClass().getSimpleName());
    }
  }

  /** Same as {@link #parse(String, List)} for a frame received as UTF-8 bytes. */
  public Outcome parse(byte[] frame, List<AccountEvent> out) {
    int mark = out.size();
    try (JsonParser p = JSON.createParser(frame)) {
      return parseFrame(p, out, mark);
    } catch (IOException | RuntimeException e) {
      return malformed(out, mark, "not valid JSON: " + e.getClass().getSimpleName());
    }
  }

  /** Why the last malformed or unknown-symbol frame was refused; for the log line. */
  public String lastError() {
    return lastError;
  }

  /** Event type ({@code e}) of the last frame parsed, empty if none. */
  public String lastEventType() {
    return lastEventType;
  }

  public long malformedCount() {
    return malformed;
  }

  public long unknownSymbolCount() {
    return unknownSymbols;
  }

  public long ignoredCount() {
    return ignored;
  }

  private Outcome parseFrame(JsonParser p, List<AccountEvent> out, int mark) throws IOException {
    if (p.nextToken() != JsonToken.START_OBJECT) {
      return malformed(out, mark, "frame is not a JSON object");
    }
    Outcome outcome = parseEvent(p, out, mark);
    if (outcome != Outcome.MALFORMED && p.nextToken() != null) {
      return malformed(out, mark, "trailing content after the event object");
    }
    return outcome;
  }

  /** Parses one event object; the parser is on its START_OBJECT. */
  private Outcome parseEvent(JsonParser p, List<AccountEvent> out, int mark) throws IOException {
    String type = null;
    long eventTime = 0;
    long transactionTime = 0;
    boolean hasOrder = false;
    boolean hasAccount = false;
    order.reset();
    balances.clear();
    positions.clear();
    String accountReason = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "data" -> {
          if (value == JsonToken.START_OBJECT) {
            Outcome inner = parseEvent(p, out, mark);
            skipRest(p);
            return inner;
          }
          p.skipChildren();
        }
        case "e" -> type = p.getText();
        case "E" -> eventTime = longValue(p);
        case "T" -> transactionTime = longValue(p);
        case "o" -> {
          if (value == JsonToken.START_OBJECT
              && (type == null || type.equals("ORDER_TRADE_UPDATE"))) {
            hasOrder = true;
            parseOrder(p);
          } else {
            p.skipChildren();
          }
        }
        case "a" -> {
          if (value == JsonToken.START_OBJECT && (type == null || type.equals("ACCOUNT_UPDATE"))) {
            hasAccount = true;
            accountReason = parseAccount(p);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    lastEventType = type == null ? "" : type;
    if (type == null) {
      // subscription replies and other control frames carry no event type
      ignored++;
      return Outcome.IGNORED;
    }
    switch (type) {
      case "ORDER_TRADE_UPDATE":
        if (!hasOrder) {
          return malformed(out, mark, "ORDER_TRADE_UPDATE without an order object");
        }
        return buildOrder(out, mark, eventTime, transactionTime);
      case "ACCOUNT_UPDATE":
        if (!hasAccount) {
          return malformed(out, mark, "ACCOUNT_UPDATE without an account object");
        }
        return buildAccount(out, mark, accountReason, eventTime, transactionTime);
      case "listenKeyExpired":
        return Outcome.LISTEN_KEY_EXPIRED;
      default:
        ignored++;
        return Outcome.IGNORED;
    }
  }

  private void parseOrder(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      switch (name) {
        case "s" -> order.symbol = p.getText();
        case "c" -> order.clientOrderId = p.getText();
        case "S" -> order.side = p.getText();
        case "o" -> order.orderType = p.getText();
        case "f" -> order.timeInForce = p.getText();
        case "q" -> order.qty = captureDecimal(p, order.qty);
        case "p" -> order.price = captureDecimal(p, order.price);
        case "ap" -> order.averagePrice = doubleValue(p, "ap");
        case "x" -> order.executionType = p.getText();
        case "X" -> order.status = p.getText();
        case "i" -> order.orderId = longValue(p);
        case "l" -> order.lastQty = captureDecimal(p, order.lastQty);
        case "z" -> order.cumQty = captureDecimal(p, order.cumQty);
        case "L" -> order.lastPrice = captureDecimal(p, order.lastPrice);
        case "N" -> order.commissionAsset = value == JsonToken.VALUE_NULL ? "" : p.getText();
        case "n" -> order.commission = doubleValue(p, "n");
        case "T" -> order.tradeTime = longValue(p);
        case "t" -> order.tradeId = longValue(p);
        case "m" -> order.maker = boolValue(p, "m");
        case "R" -> order.reduceOnly = boolValue(p, "R");
        case "ps" -> order.positionSide = p.getText();
        case "rp" -> order.realizedPnl = doubleValue(p, "rp");
        case "er" -> order.expiryReason = (int) longValue(p);
        default -> {
          // b, a, sp, wt, ot, cp, AP, cr, pP, si, ss, V, pm, gtd, M: not needed by the account
        }
      }
    }
  }

  /**
   * Parses {@code a}: returns the reason {@code m}; balances and positions go to the scratch lists.
   */
  private String parseAccount(JsonParser p) throws IOException {
    String reason = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken value = p.nextToken();
      switch (name) {
        case "m" -> reason = p.getText();
        case "B" -> {
          if (value == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              balances.add(parseBalance(p));
            }
          } else if (value != JsonToken.VALUE_NULL) {
            throw new NumberFormatException("B is not an array");
          }
        }
        case "P" -> {
          if (value == JsonToken.START_ARRAY) {
            while (p.nextToken() == JsonToken.START_OBJECT) {
              positions.add(parsePosition(p));
            }
          } else if (value != JsonToken.VALUE_NULL) {
            throw new NumberFormatException("P is not an array");
          }
        }
        default -> p.skipChildren();
      }
    }
    return reason;
  }

  private BalanceFields parseBalance(JsonParser p) throws IOException {
    BalanceFields b = new BalanceFields();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "a" -> b.asset = p.getText();
        case "wb" -> b.wallet = doubleValue(p, "wb");
        case "cw" -> b.crossWallet = doubleValue(p, "cw");
        case "bc" -> b.balanceChange = doubleValue(p, "bc");
        default -> p.skipChildren();
      }
    }
    return b;
  }

  private PositionFields parsePosition(JsonParser p) throws IOException {
    PositionFields f = new PositionFields();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      p.nextToken();
      switch (name) {
        case "s" -> f.symbol = p.getText();
        case "pa" -> f.amount = p.getText();
        case "ep" -> f.entryPrice = doubleValue(p, "ep");
        case "up" -> f.unrealizedPnl = doubleValue(p, "up");
        case "ps" -> f.positionSide = p.getText();
        default -> p.skipChildren();
      }
    }
    return f;
  }

  private Outcome buildOrder(
      List<AccountEvent> out, int mark, long eventTime, long transactionTime) {
    OrderFields f = order;
    if (f.symbol == null
        || f.clientOrderId == null
        || f.side == null
        || f.executionType == null
        || f.status == null) {
      return malformed(out, mark, "ORDER_TRADE_UPDATE lacks one of s, c, S, x, X");
    }
    Instrument instrument = instruments.apply(f.symbol);
    if (instrument == null) {
      unknownSymbols++;
      lastError = "order update for unknown symbol " + f.symbol;
      return Outcome.UNKNOWN_SYMBOL;
    }
    Side side = side(f.side);
    ExecutionType executionType = executionType(f.executionType);
    OrderState status = orderStatus(f.status);
    PositionSide positionSide =
        f.positionSide == null ? PositionSide.BOTH : positionSide(f.positionSide);
    if (side == null || executionType == null || status == null || positionSide == null) {
      return malformed(out, mark, "ORDER_TRADE_UPDATE has an unknown S, x, X or ps value");
    }
    Scale price = instrument.price();
    Scale qty = instrument.quantity();
    long priceTicks = f.price == null ? 0 : price.parse(f.price);
    long origQty = f.qty == null ? Scale.INVALID : qty.parse(f.qty);
    long cumQty = f.cumQty == null ? 0 : qty.parse(f.cumQty);
    long lastQty = f.lastQty == null ? 0 : qty.parse(f.lastQty);
    long lastPrice = f.lastPrice == null ? 0 : price.parse(f.lastPrice);
    if (priceTicks == Scale.INVALID
        || origQty == Scale.INVALID
        || cumQty == Scale.INVALID
        || lastQty == Scale.INVALID
        || lastPrice == Scale.INVALID) {
      return malformed(
          out,
          mark,
          "ORDER_TRADE_UPDATE for "
              + f.symbol
              + " has a price or quantity off the tick/step grid or missing (p, q, z, l, L)");
    }
    out.add(
        new OrderUpdate(
            instrument.id(),
            f.clientOrderId,
            f.orderId,
            side,
            executionType,
            status,
            priceTicks,
            origQty,
            cumQty,
            lastQty,
            lastPrice,
            f.tradeId,
            f.commission,
            f.realizedPnl,
            f.maker,
            eventTime,
            f.tradeTime != 0 ? f.tradeTime : transactionTime,
            nonNull(f.orderType),
            nonNull(f.timeInForce),
            f.averagePrice,
            nonNull(f.commissionAsset),
            f.reduceOnly,
            positionSide,
            f.expiryReason));
    return Outcome.EVENTS;
  }

  private Outcome buildAccount(
      List<AccountEvent> out, int mark, String reason, long eventTime, long transactionTime) {
    long time = transactionTime != 0 ? transactionTime : eventTime;
    for (BalanceFields b : balances) {
      if (b.asset == null) {
        return malformed(out, mark, "ACCOUNT_UPDATE balance without asset");
      }
      out.add(new BalanceUpdate(b.asset, b.wallet, b.crossWallet, b.balanceChange, reason, time));
    }
    for (PositionFields f : positions) {
      if (f.symbol == null || f.amount == null) {
        return malformed(out, mark, "ACCOUNT_UPDATE position without s or pa");
      }
      PositionSide side = f.positionSide == null ? PositionSide.BOTH : positionSide(f.positionSide);
      if (side == null) {
        return malformed(out, mark, "ACCOUNT_UPDATE position has unknown ps " + f.positionSide);
      }
      Instrument instrument = instruments.apply(f.symbol);
      if (instrument == null) {
        // other symbols' positions are not ours to track; the rest of the frame still counts
        unknownSymbols++;
        continue;
      }
      long amount = instrument.quantity().parse(f.amount);
      if (amount == Scale.INVALID) {
        return malformed(
            out, mark, "ACCOUNT_UPDATE position " + f.symbol + " pa is off the step grid");
      }
      out.add(
          new PositionUpdate(
              instrument.id(), amount, f.entryPrice, f.unrealizedPnl, side, reason, time));
    }
    return Outcome.EVENTS;
  }

  private Outcome malformed(List<AccountEvent> out, int mark, String reason) {
    while (out.size() > mark) {
      out.remove(out.size() - 1);
    }
    malformed++;
    lastError = reason;
    return Outcome.MALFORMED;
  }

  private void skipRest(JsonParser p) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      p.nextToken();
      p.skipChildren();
    }
  }

  /** Keeps decimal text until the symbol (which may come later in the object) is known. */
  private static String captureDecimal(JsonParser p, String previous) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING
        || t == JsonToken.VALUE_NUMBER_INT
        || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getText();
    }
    if (t == JsonToken.VALUE_NULL) {
      return previous;
    }
    throw new NumberFormatException("decimal field " + p.currentName() + " is " + t);
  }

  private static long longValue(JsonParser p) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      return Long.parseLong(p.getText());
    }
    throw new NumberFormatException("integer field " + p.currentName() + " is " + t);
  }

  private static double doubleValue(JsonParser p, String name) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
      return p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      String text = p.getText();
      return text.isEmpty() ? 0 : Double.parseDouble(text);
    }
    if (t == JsonToken.VALUE_NULL) {
      return 0;
    }
    throw new NumberFormatException("decimal field " + name + " is " + t);
  }

  private static boolean boolValue(JsonParser p, String name) throws IOException {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE) {
      return t == JsonToken.VALUE_TRUE;
    }
    if (t == JsonToken.VALUE_STRING) {
      return Boolean.parseBoolean(p.getText());
    }
    throw new NumberFormatException("boolean field " + name + " is " + t);
  }

  private static String nonNull(String s) {
    return s == null ? "" : s;
  }

  static Side side(String text) {
    return switch (text) {
      case "BUY" -> Side.BUY;
      case "SELL" -> Side.SELL;
      default -> null;
    };
  }

  static ExecutionType executionType(String text) {
    return switch (text) {
      case "NEW" -> ExecutionType.NEW;
      case "CANCELED" -> ExecutionType.CANCELED;
      case "CALCULATED" -> ExecutionType.CALCULATED;
      case "EXPIRED" -> ExecutionType.EXPIRED;
      case "TRADE" -> ExecutionType.TRADE;
      case "AMENDMENT" -> ExecutionType.AMENDMENT;
      default -> null;
    };
  }

  /** Maps Binance's status text; public so REST order parsing shares one table. */
  public static OrderState orderStatus(String text) {
    return switch (text) {
      case "NEW" -> OrderState.NEW;
      case "PARTIALLY_FILLED" -> OrderState.PARTIALLY_FILLED;
      case "FILLED" -> OrderState.FILLED;
      case "CANCELED" -> OrderState.CANCELED;
      case "REJECTED" -> OrderState.REJECTED;
      case "EXPIRED" -> OrderState.EXPIRED;
      case "EXPIRED_IN_MATCH" -> OrderState.EXPIRED_IN_MATCH;
      default -> null;
    };
  }

  /** Maps Binance's side text; public so REST order parsing shares one table. */
  public static Side parseSide(String text) {
    return side(text);
  }

  static PositionSide positionSide(String text) {
    return switch (text) {
      case "BOTH" -> PositionSide.BOTH;
      case "LONG" -> PositionSide.LONG;
      case "SHORT" -> PositionSide.SHORT;
      default -> null;
    };
  }

  /** Scratch for the order object: its fields may arrive before the symbol that scales them. */
  private static final class OrderFields {
    String symbol;
    String clientOrderId;
    String side;
    String orderType;
    String timeInForce;
    String qty;
    String price;
    double averagePrice;
    String executionType;
    String status;
    long orderId;
    String lastQty;
    String cumQty;
    String lastPrice;
    String commissionAsset;
    double commission;
    long tradeTime;
    long tradeId;
    boolean maker;
    boolean reduceOnly;
    String positionSide;
    double realizedPnl;
    int expiryReason;

    void reset() {
      symbol = null;
      clientOrderId = null;
      side = null;
      orderType = null;
      timeInForce = null;
      qty = null;
      price = null;
      averagePrice = 0;
      executionType = null;
      status = null;
      orderId = 0;
      lastQty = null;
      cumQty = null;
      lastPrice = null;
      commissionAsset = null;
      commission = 0;
      tradeTime = 0;
      tradeId = 0;
      maker = false;
      reduceOnly = false;
      positionSide = null;
      realizedPnl = 0;
      expiryReason = 0;
    }
  }

  private static final class BalanceFields {
    String asset;
    double wallet;
    double crossWallet;
    double balanceChange;
  }

  private static final class PositionFields {
    String symbol;
    String amount;
    double entryPrice;
    double unrealizedPnl;
    String positionSide;
  }
}
