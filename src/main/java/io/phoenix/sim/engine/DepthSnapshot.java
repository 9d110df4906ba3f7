package io.phoenix.sim.engine;

import java.util.List;

/** Order book snapshot; bids best first (descending), asks best first (ascending). */
public record DepthSnapshot(
    long lastUpdateId, long eventTime, long transactionTime, List<Level> bids, List<Level> asks) {}
