package io.phoenix;

import akka.actor.typed.ActorRef;
import io.phoenix.core.Instrument;
import io.phoenix.market.FeedMetrics;
import io.phoenix.market.MarketFeed;
import java.util.List;

/**
 * A running market feed, the symbols it carries and its counters (thread-safe: read them anywhere).
 */
public record MarketFeedPart(
    String name,
    ActorRef<MarketFeed.Command> feed,
    List<Instrument> instruments,
    FeedMetrics metrics) {}
