package io.phoenix.binance.ws;

import io.phoenix.core.Instrument;

/**
 * What every market-data event frame carries: the instrument it was routed to and {@code E}. Frames
 * are mutable and reused by {@link MarketFrameDecoder} for every message (no allocation per frame),
 * so read them inside the handler callback and copy what must outlive it.
 *
 * <p>The package-private constructor closes the hierarchy to this package's four frames; a {@code
 * sealed ... permits} clause would add nothing but an import cycle between the files.
 */
public abstract class MarketFrame {
  Instrument instrument;
  long eventTime;

  MarketFrame() {}

  public final Instrument instrument() {
    return instrument;
  }

  public final int symbolId() {
    return instrument.id();
  }

  /** {@code E}: message output time, epoch ms. */
  public final long eventTime() {
    return eventTime;
  }

  /** Clears the common fields; subclasses clear their own in {@code reset()}. */
  final void resetCommon() {
    instrument = null;
    eventTime = 0;
  }
}
