package io.phoenix.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Request parameters as Binance reads them: query string and form body merged, the query winning on
 * a duplicate name. Typed getters raise the Binance error a malformed value earns.
 */
final class Params {
  private static final Pattern DECIMAL = Pattern.compile("^[0-9]+(\\.[0-9]+)?$");
  private final Map<String, String> values;

  Params(Map<String, String> values) {
    this.values = values;
  }

  /** A JSON object's fields as text: numbers as written, nested values as JSON. */
  static Map<String, String> textMap(JsonNode obj) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode v = e.getValue();
      map.put(
          e.getKey(),
          v.isBigDecimal()
              ? v.decimalValue().toPlainString()
              : v.isValueNode() ? v.asText() : v.toString());
    }
    return map;
  }

  static Params of(String rawQuery, String body) {
    Map<String, String> map = new LinkedHashMap<>();
    decodeInto(body, map);
    decodeInto(rawQuery, map);
    return new Params(map);
  }

  private static void decodeInto(String encoded, Map<String, String> map) {
    if (encoded == null || encoded.isEmpty()) {
      return;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        map.put(k, v);
      } catch (IllegalArgumentException e) {
        throw Rejection.bad(-1100, "Illegal characters found in a parameter.");
      }
    }
  }

  Map<String, String> asMap() {
    return values;
  }

  boolean has(String name) {
    String v = values.get(name);
    return v != null && !v.isEmpty();
  }

  /** The value or null when absent or empty. */
  String opt(String name) {
    String v = values.get(name);
    return v == null || v.isEmpty() ? null : v;
  }

  String req(String name) {
    String v = opt(name);
    if (v == null) {
      throw Rejection.mandatory(name);
    }
    return v;
  }

  long reqLong(String name) {
    try {
      return Long.parseLong(req(name));
    } catch (NumberFormatException e) {
      throw Rejection.mandatory(name);
    }
  }

  long optLong(String name, long dflt) {
    String v = opt(name);
    if (v == null) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw Rejection.bad(
          -1100,
          "Illegal characters found in parameter '" + name + "'; legal range is '^[0-9]{1,20}$'.");
    }
  }

  int optInt(String name, int dflt) {
    long v = optLong(name, dflt);
    if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
      throw Rejection.bad(-1100, "Illegal characters found in parameter '" + name + "'.");
    }
    return (int) v;
  }

  boolean optBool(String name, boolean dflt) {
    String v = opt(name);
    if (v == null) {
      return dflt;
    }
    if (v.equalsIgnoreCase("true")) {
      return true;
    }
    if (v.equalsIgnoreCase("false")) {
      return false;
    }
    throw Rejection.bad(-1130, "Data sent for parameter '" + name + "' is not valid.");
  }

  /**
   * Parses a decimal into counts of {@code scale}; distinguishes syntax, precision and increment
   * errors.
   */
  long decimal(String name, io.phoenix.core.Scale scale, boolean price) {
    String v = req(name);
    if (!DECIMAL.matcher(v).matches()) {
      if (v.startsWith("-")) {
        throw price
            ? Rejection.bad(-4013, "Price less than min price.")
            : Rejection.bad(-4003, "Quantity less than or equal to zero.");
      }
      throw Rejection.mandatory(name);
    }
    long count = scale.parse(v);
    if (count == io.phoenix.core.Scale.INVALID) {
      int dot = v.indexOf('.');
      String frac = dot < 0 ? "" : v.substring(dot + 1).replaceAll("0+$", "");
      if (frac.length() > scale.decimals()) {
        throw Rejection.bad(-1111, "Precision is over the maximum defined for this asset.");
      }
      throw price
          ? Rejection.bad(-4014, "Price not increased by tick size.")
          : Rejection.bad(-4023, "Quantity not increased by step size.");
    }
    return count;
  }
}
