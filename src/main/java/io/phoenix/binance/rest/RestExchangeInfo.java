package io.phoenix.binance.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.phoenix.core.Instrument;
import io.phoenix.core.Scale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code GET /fapi/v1/exchangeInfo} reduced to what the bot uses: the rate limiters and each
 * symbol's filters. {@link #instruments(List)} turns the filters into {@link Instrument}s in ticks
 * and steps.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestExchangeInfo(
    long serverTime, List<RateLimit> rateLimits, List<SymbolInfo> symbols) {

  /** One limiter, e.g. {@code REQUEST_WEIGHT / MINUTE / 1 / 2400}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RateLimit(String rateLimitType, String interval, int intervalNum, int limit) {
    /** Window length in milliseconds. */
    public long windowMillis() {
      long unit =
          switch (interval) {
            case "SECOND" -> 1_000L;
            case "MINUTE" -> 60_000L;
            case "HOUR" -> 3_600_000L;
            case "DAY" -> 86_400_000L;
            default ->
                throw new IllegalArgumentException("unknown rate-limit interval " + interval);
          };
      return unit * intervalNum;
    }
  }

  /** One symbol; filters are kept as maps because their fields differ by {@code filterType}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SymbolInfo(
      String symbol,
      String status,
      String contractType,
      String baseAsset,
      String quoteAsset,
      List<Map<String, Object>> filters) {

    Map<String, Object> filter(String type) {
      if (filters != null) {
        for (Map<String, Object> f : filters) {
          if (type.equals(f.get("filterType"))) {
            return f;
          }
        }
      }
      return Map.of();
    }
  }

  public RestExchangeInfo {
    rateLimits = rateLimits == null ? List.of() : List.copyOf(rateLimits);
    symbols = symbols == null ? List.of() : List.copyOf(symbols);
  }

  /**
   * The named symbols as instruments, with ids equal to their index in {@code wanted}.
   *
   * @throws IllegalArgumentException naming the symbol when it is missing or its filters are not
   *     consistent with its tick/step
   */
  public List<Instrument> instruments(List<String> wanted) {
    List<Instrument> out = new ArrayList<>(wanted.size());
    for (int id = 0; id < wanted.size(); id++) {
      String name = wanted.get(id);
      SymbolInfo info =
          symbols.stream()
              .filter(s -> s.symbol().equals(name))
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException("symbol " + name + " not in exchangeInfo"));
      out.add(toInstrument(id, info));
    }
    return out;
  }

  /** Every listed symbol as an instrument, ids in exchangeInfo order. */
  public List<Instrument> instruments() {
    List<String> names = new ArrayList<>(symbols.size());
    symbols.forEach(s -> names.add(s.symbol()));
    return instruments(names);
  }

  static Instrument toInstrument(int id, SymbolInfo info) {
    Map<String, Object> price = info.filter("PRICE_FILTER");
    Map<String, Object> lot = info.filter("LOT_SIZE");
    String tick = text(price, "tickSize", info.symbol());
    String step = text(lot, "stepSize", info.symbol());
    Scale priceScale = Scale.of(tick);
    Scale qtyScale = Scale.of(step);
    Map<String, Object> notional = info.filter("MIN_NOTIONAL");
    Map<String, Object> maxOrders = info.filter("MAX_NUM_ORDERS");
    Map<String, Object> percent = info.filter("PERCENT_PRICE");
    return new Instrument(
        id,
        info.symbol(),
        priceScale,
        qtyScale,
        count(priceScale, price, "minPrice", 0, info.symbol()),
        count(priceScale, price, "maxPrice", Long.MAX_VALUE, info.symbol()),
        count(qtyScale, lot, "minQty", 1, info.symbol()),
        count(qtyScale, lot, "maxQty", Long.MAX_VALUE, info.symbol()),
        number(notional, "notional", 0),
        (int) number(maxOrders, "limit", 200),
        number(percent, "multiplierUp", Double.POSITIVE_INFINITY),
        number(percent, "multiplierDown", 0));
  }

  private static String text(Map<String, Object> filter, String field, String symbol) {
    Object v = filter.get(field);
    if (v == null) {
      throw new IllegalArgumentException(
          "symbol " + symbol + ": filter field " + field + " missing");
    }
    return v.toString();
  }

  private static long count(
      Scale scale, Map<String, Object> filter, String field, long dflt, String symbol) {
    Object v = filter.get(field);
    if (v == null) {
      return dflt;
    }
    String s = Objects.toString(v);
    if (Double.parseDouble(s) == 0) {
      // Binance: a zero disables that sub-rule
      return dflt;
    }
    long c = scale.parse(s);
    if (c == Scale.INVALID) {
      throw new IllegalArgumentException(
          "symbol "
              + symbol
              + ": "
              + field
              + "="
              + s
              + " is not a multiple of "
              + scale.increment());
    }
    return c;
  }

  private static double number(Map<String, Object> filter, String field, double dflt) {
    Object v = filter.get(field);
    return v == null ? dflt : Double.parseDouble(v.toString());
  }
}
