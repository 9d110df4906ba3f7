package io.phoenix.binance.rest;

/** Binance error codes the client and gateway act on; the full table is in the reference §5. */
public final class BinanceErrors {
  private BinanceErrors() {}

  public static final int UNKNOWN = -1000;
  public static final int DISCONNECTED = -1001;
  public static final int TOO_MANY_REQUESTS = -1003;
  public static final int UNEXPECTED_RESPONSE = -1006;
  public static final int TIMEOUT = -1007;
  public static final int THROTTLED = -1008;
  public static final int TOO_MANY_ORDERS = -1015;
  public static final int SERVICE_SHUTTING_DOWN = -1016;
  public static final int INVALID_TIMESTAMP = -1021;
  public static final int INVALID_SIGNATURE = -1022;
  public static final int CANCEL_REJECTED = -2011;
  public static final int NO_SUCH_ORDER = -2013;
  public static final int DUPLICATED_CLIENT_ORDER_ID = -4116;
  public static final int GTX_ORDER_REJECT = -5022;
  public static final int ME_RECV_WINDOW_REJECT = -5028;
  public static final int PENDING_MODIFICATION = -5043;

  /** Codes that mean "execution status unknown" even though a response arrived. */
  public static boolean isUnknownOutcome(int code) {
    return code == UNEXPECTED_RESPONSE || code == TIMEOUT;
  }

  /** 503 body text for "reached the engine, no reply in time": the order may exist. */
  public static final String UNKNOWN_503_PREFIX = "Unknown error";
}
