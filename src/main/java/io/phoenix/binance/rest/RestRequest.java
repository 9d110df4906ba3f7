package io.phoenix.binance.rest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One REST call as the wire sees it: method, path, security type and the parameters in sending
 * order. Immutable; build with {@link #get}, {@link #post}, {@link #put} or {@link #delete} and
 * {@link Builder#param}.
 *
 * <p>Parameters are percent-encoded once, here, and the signature is computed over exactly that
 * text by {@link BinanceRestClient}; nothing re-encodes afterwards (re-encoding after signing is
 * the classic cause of {@code -1022}).
 *
 * @param weight IP weight this call costs ({@code REQUEST_WEIGHT}), for the rate budget
 */
public record RestRequest(
    Method method, String path, Security security, List<Param> params, int weight) {

  /** HTTP method. */
  public enum Method {
    GET,
    POST,
    PUT,
    DELETE
  }

  /** Binance endpoint security types, reduced to what changes the request. */
  public enum Security {
    /** No key, no signature ({@code NONE}). */
    NONE,
    /** {@code X-MBX-APIKEY} header only ({@code MARKET_DATA}, {@code USER_STREAM}). */
    API_KEY,
    /**
     * Header plus {@code timestamp}, {@code recvWindow} and {@code signature} ({@code TRADE},
     * {@code USER_DATA}).
     */
    SIGNED
  }

  /** One name/value pair; the value is raw text (encoded when the request is rendered). */
  public record Param(String name, String value) {
    public Param {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
      if (name.isEmpty() || value.isEmpty()) {
        // Binance rejects empty values since 2023; catch it before the wire does
        throw new IllegalArgumentException("empty parameter " + name);
      }
    }
  }

  public RestRequest {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(security, "security");
    params = List.copyOf(params);
  }

  public static Builder get(String path) {
    return new Builder(Method.GET, path);
  }

  public static Builder post(String path) {
    return new Builder(Method.POST, path);
  }

  public static Builder put(String path) {
    return new Builder(Method.PUT, path);
  }

  public static Builder delete(String path) {
    return new Builder(Method.DELETE, path);
  }

  /** True when parameters travel in a form body rather than the query string. */
  public boolean paramsInBody() {
    return method == Method.POST || method == Method.PUT;
  }

  /** The value of parameter {@code name}, or null. */
  public String param(String name) {
    for (Param p : params) {
      if (p.name().equals(name)) {
        return p.value();
      }
    }
    return null;
  }

  /** Parameters as {@code k=v&...} with values percent-encoded; no timestamp or signature added. */
  public String encodedParams() {
    StringBuilder sb = new StringBuilder(64 + params.size() * 24);
    for (Param p : params) {
      if (sb.length() > 0) {
        sb.append('&');
      }
      sb.append(p.name()).append('=');
      percentEncode(p.value(), sb);
    }
    return sb.toString();
  }

  /** Method and path only: safe for logs (no parameters, no signature). */
  public String describe() {
    return method + " " + path;
  }

  @Override
  public String toString() {
    return "RestRequest["
        + method
        + " "
        + path
        + ", "
        + security
        + ", "
        + params.size()
        + " params]";
  }

  /**
   * RFC 3986 percent-encoding of everything but unreserved characters, UTF-8 for non-ASCII; JSON
   * parameters (batchOrders, origClientOrderIdList) come out the way Binance wants them.
   */
  public static void percentEncode(String value, StringBuilder out) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~') {
        out.append(c);
      } else if (c < 0x80) {
        appendByte(out, c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < value.length() ? i + 2 : i + 1;
        for (byte b : value.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          appendByte(out, b & 0xff);
        }
        i = end - 1;
      }
    }
  }

  private static void appendByte(StringBuilder out, int b) {
    out.append('%')
        .append(Character.toUpperCase(Character.forDigit(b >>> 4, 16)))
        .append(Character.toUpperCase(Character.forDigit(b & 0x0f, 16)));
  }

  /** Collects parameters in order. */
  public static final class Builder {
    private final Method method;
    private final String path;
    private Security security = Security.NONE;
    private final List<Param> params = new ArrayList<>(12);
    private int weight = 1;

    private Builder(Method method, String path) {
      this.method = method;
      this.path = path;
    }

    public Builder signed() {
      security = Security.SIGNED;
      return this;
    }

    public Builder apiKey() {
      security = Security.API_KEY;
      return this;
    }

    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    public Builder param(String name, String value) {
      params.add(new Param(name, value));
      return this;
    }

    public Builder param(String name, long value) {
      params.add(new Param(name, Long.toString(value)));
      return this;
    }

    /** Adds the parameter only when {@code value} is non-null and non-empty. */
    public Builder optional(String name, String value) {
      if (value != null && !value.isEmpty()) {
        params.add(new Param(name, value));
      }
      return this;
    }

    public RestRequest build() {
      return new RestRequest(method, path, security, Collections.unmodifiableList(params), weight);
    }
  }
}
