package io.phoenix.sim;

/**
 * A request the simulator refuses with a Binance error: HTTP status plus the {@code {code,msg}}
 * body. Thrown from parameter parsing, auth and limits; carries no stack trace because it is a
 * normal, expected outcome, not a bug.
 */
final class Rejection extends RuntimeException {
  final int status;
  final int code;
  final long retryAfterSeconds;

  Rejection(int status, int code, String msg) {
    this(status, code, msg, -1);
  }

  Rejection(int status, int code, String msg, long retryAfterSeconds) {
    super(msg, null, false, false);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static Rejection bad(int code, String msg) {
    return new Rejection(400, code, msg);
  }

  static Rejection mandatory(String name) {
    return bad(
        -1102, "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed.");
  }

  String body() {
    return "{\"code\":" + code + ",\"msg\":" + Json.quote(getMessage()) + "}";
  }
}
