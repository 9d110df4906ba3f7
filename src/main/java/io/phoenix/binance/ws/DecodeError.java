package io.phoenix.binance.ws;

/** Why one frame could not be decoded; each occurrence is counted, the frame is dropped. */
public enum DecodeError {
  /** Not JSON, or JSON that ends before the top-level object closes. */
  MALFORMED_JSON,
  /** A field has the wrong JSON type (a number where Binance sends a string, and so on). */
  WRONG_TYPE,
  /** A field the event needs is absent. */
  MISSING_FIELD,
  /** The symbol is not one this process trades, or it arrived after the prices it scales. */
  UNKNOWN_SYMBOL,
  /** A price or quantity is not an exact multiple of the instrument's tick or step. */
  OFF_GRID,
  /** An integer does not fit in a long. */
  NUMBER_OUT_OF_RANGE,
  /** Valid JSON that is none of the frames this decoder understands. */
  UNKNOWN_EVENT
}
