package io.phoenix.binance.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Binance's error body {@code {"code":-2011,"msg":"Unknown order sent."}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestError(int code, String msg) {}
