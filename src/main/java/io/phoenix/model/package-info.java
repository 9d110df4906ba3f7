/**
 * The vocabulary every capability shares, below {@code binance}, the engines and the actors: one
 * {@link io.phoenix.model.Side}, one {@link io.phoenix.model.TimeInForce}, one order status ({@link
 * io.phoenix.model.OrderState}); what a quoter wants done ({@link io.phoenix.model.OrderIntent}),
 * what the gateway answers ({@link io.phoenix.model.OrderEvent}) and what the exchange reports
 * ({@link io.phoenix.model.OrderReport}, {@link io.phoenix.model.AccountEvent}, {@link
 * io.phoenix.model.ExchangeState}); positions built from fills. Plain immutable types and pure
 * logic; depends on {@code core} only.
 */
package io.phoenix.model;
