package io.phoenix.sim.engine;

/** A Binance error: numeric code and message. */
public record SimError(int code, String msg) {}
