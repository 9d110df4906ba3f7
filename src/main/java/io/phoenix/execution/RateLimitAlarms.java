package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.binance.rest.SharedRateBudget;
import io.phoenix.model.OrderEvent;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * What the order gateway does about the exchange's rate limits beyond waiting: a 429 or 418 pauses
 * the shared budget for every sender; a 418 (IP ban, whoever ran into it) is an ERROR, a metric and
 * one {@link OrderEvent.GatewayHalted} per ban to every alert listener; three 429s in a row are one
 * {@code GatewayHalted} too. Sending resumes by itself when the pause ends.
 */
final class RateLimitAlarms {
  private final SharedRateBudget budget;
  private final GatewayMetrics metrics;
  private final Logger log;
  private final Set<ActorRef<OrderEvent>> listeners = new LinkedHashSet<>();
  private int consecutiveRateLimits;
  private long lastBanAlertedUntil;

  RateLimitAlarms(SharedRateBudget budget, GatewayMetrics metrics, Logger log) {
    this.budget = budget;
    this.metrics = metrics;
    this.log = log;
  }

  void listen(ActorRef<OrderEvent> listener) {
    listeners.add(listener);
  }

  List<ActorRef<OrderEvent>> listeners() {
    return List.copyOf(listeners);
  }

  /** An answer that was not rate limited: the run of 429s is over. */
  void answered() {
    consecutiveRateLimits = 0;
  }

  /** Our own request was answered 429 or 418: everyone pauses until its Retry-After. */
  void rateLimited(RestResult.RateLimited<JsonNode> limited, long nowMillis) {
    long until = nowMillis + limited.retryAfter().toMillis();
    budget.pause(until, false);
    consecutiveRateLimits++;
    if (limited.banned()) {
      metrics.banned();
      log.error(
          "HTTP 418: IP banned by the exchange until {} (retry after {}); order sending halted",
          Instant.ofEpochMilli(until),
          limited.retryAfter());
      alertBan("HTTP 418 IP ban: " + limited.msg(), until);
    } else {
      metrics.rateLimited();
      log.warn(
          "HTTP 429 ({} {}): pausing all requests for {}",
          limited.code(),
          limited.msg(),
          limited.retryAfter());
      if (consecutiveRateLimits == 3) {
        alert(new OrderEvent.GatewayHalted("repeated HTTP 429: " + limited.msg(), until, false));
      }
    }
  }

  /** Another sender on the shared budget ran into a 418; true when this ban is news. */
  boolean banObserved(long untilMillis) {
    if (untilMillis <= lastBanAlertedUntil) {
      return false;
    }
    metrics.banned();
    log.error(
        "HTTP 418 on a background request: IP banned until {}; order sending halted",
        Instant.ofEpochMilli(untilMillis));
    alertBan("HTTP 418 IP ban (background request)", untilMillis);
    return true;
  }

  private void alertBan(String reason, long until) {
    if (until > lastBanAlertedUntil) {
      lastBanAlertedUntil = until;
      alert(new OrderEvent.GatewayHalted(reason, until, true));
    }
  }

  private void alert(OrderEvent.GatewayHalted event) {
    listeners.forEach(l -> l.tell(event));
  }
}
