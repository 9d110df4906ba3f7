package io.phoenix.binance.rest;

import io.phoenix.binance.rest.RateBudget.Cost;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;

/**
 * Admits background requests (everything but order entry) to the exchange: a few at a time, each
 * only once the {@link SharedRateBudget} has room for its weight, none while a 429 or 418 pause
 * lasts, in arrival order. The answers feed the budget back: usage headers raise its counters, a
 * 429/418 pauses every sender until {@code Retry-After}. So a gap storm's depth snapshots or a
 * reconciliation's queries wait their turn instead of flooding the venue into a ban.
 *
 * <p>Thread-safe. {@link #admit} completes on the scheduler's or the previous request's thread;
 * callers continue asynchronously.
 */
public final class BudgetGate {

  /** Runs {@code task} after {@code delay} (the actor system's scheduler in production). */
  public interface Scheduler {
    void schedule(Duration delay, Runnable task);
  }

  /** Why a request was not admitted: it was not sent. */
  public record Refused(String reason) {}

  private record Ticket(Cost cost, CompletableFuture<Refused> admitted) {}

  private final SharedRateBudget budget;
  private final LongSupplier nowMillis;
  private final Scheduler scheduler;
  private final int maxInFlight;
  private final int maxQueued;
  private final BiConsumer<String, Long> onEvent;
  private final ArrayDeque<Ticket> queue = new ArrayDeque<>();
  private int inFlight;
  private boolean wakeUpArmed;
  private long refused;
  private long waits;

  /**
   * @param nowMillis exchange-clock milliseconds (the budget's windows are aligned to it)
   * @param maxInFlight requests admitted and not yet answered, at most
   * @param maxQueued requests waiting; beyond it {@link #admit} refuses at once
   * @param onEvent told (event, millis), for metrics: "budget" or "paused" when the head of the
   *     queue must wait that long, "rate_limited" or "banned" when an answer was a 429 or a 418
   */
  public BudgetGate(
      SharedRateBudget budget,
      LongSupplier nowMillis,
      Scheduler scheduler,
      int maxInFlight,
      int maxQueued,
      BiConsumer<String, Long> onEvent) {
    if (maxInFlight < 1 || maxQueued < 1) {
      throw new IllegalArgumentException("maxInFlight and maxQueued must be positive");
    }
    this.budget = budget;
    this.nowMillis = nowMillis;
    this.scheduler = scheduler;
    this.maxInFlight = maxInFlight;
    this.maxQueued = maxQueued;
    this.onEvent = onEvent;
  }

  /** What a request costs the budget: its IP weight (background requests place no orders). */
  public static Cost costOf(RestRequest request) {
    return new Cost(request.weight(), 0, 0);
  }

  /**
   * Completes with null when the request may be sent now (its weight is charged), or with a {@link
   * Refused} when the queue is full. Every admitted request must be followed by exactly one {@link
   * #answered}.
   */
  public CompletionStage<Refused> admit(RestRequest request) {
    Ticket ticket = new Ticket(costOf(request), new CompletableFuture<>());
    synchronized (this) {
      if (queue.size() >= maxQueued) {
        refused++;
        return CompletableFuture.completedFuture(
            new Refused("request queue full (" + maxQueued + " waiting)"));
      }
      queue.addLast(ticket);
    }
    pump();
    return ticket.admitted();
  }

  /** The answer to an admitted request (or its failure, as an unknown outcome): frees its slot. */
  public void answered(RestResult<?> result) {
    answered(result, nowMillis.getAsLong());
  }

  /**
   * As {@link #answered(RestResult)} for a request admitted at {@code sentMillis} (exchange clock).
   */
  public void answered(RestResult<?> result, long sentMillis) {
    long now = nowMillis.getAsLong();
    budget.observe(now, sentMillis, result.usage());
    if (result instanceof RestResult.RateLimited<?> limited) {
      onEvent.accept(limited.banned() ? "banned" : "rate_limited", limited.retryAfter().toMillis());
      budget.pause(now + limited.retryAfter().toMillis(), limited.banned());
    }
    synchronized (this) {
      inFlight--;
    }
    pump();
  }

  public synchronized int queued() {
    return queue.size();
  }

  public synchronized int inFlight() {
    return inFlight;
  }

  /** Requests refused because the queue was full. */
  public synchronized long refused() {
    return refused;
  }

  /** Times the head of the queue had to wait for the budget or a pause. */
  public synchronized long waits() {
    return waits;
  }

  private void pump() {
    List<Ticket> admitted = new ArrayList<>(2);
    long wait = 0;
    synchronized (this) {
      while (inFlight < maxInFlight && !queue.isEmpty()) {
        long w = budget.acquire(nowMillis.getAsLong(), queue.peekFirst().cost());
        if (w > 0) {
          wait = w;
          break;
        }
        admitted.add(queue.pollFirst());
        inFlight++;
      }
      if (wait > 0) {
        waits++;
        if (wakeUpArmed) {
          wait = 0; // one wake-up at a time; it re-evaluates the head
        } else {
          wakeUpArmed = true;
        }
      }
    }
    if (wait > 0) {
      boolean paused = budget.pausedUntil() > nowMillis.getAsLong();
      onEvent.accept(paused ? "paused" : "budget", wait);
      scheduler.schedule(Duration.ofMillis(wait), this::wakeUp);
    }
    // completed outside the monitor: a continuation may send at once and call back in
    for (Ticket t : admitted) {
      t.admitted().complete(null);
    }
  }

  private void wakeUp() {
    synchronized (this) {
      wakeUpArmed = false;
    }
    pump();
  }
}
