package io.phoenix.binance.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** {@code GET /fapi/v1/time} response. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestServerTime(long serverTime) {}
