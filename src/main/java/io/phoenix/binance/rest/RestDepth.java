package io.phoenix.binance.rest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * {@code GET /fapi/v1/depth} response as on the wire; levels are {@code [price, qty]} text pairs.
 * The book synchroniser has its own allocation-light parser; this record is for tools and tests.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestDepth(
    long lastUpdateId,
    @JsonProperty("E") long eventTime,
    @JsonProperty("T") long transactionTime,
    List<List<String>> bids,
    List<List<String>> asks) {}
