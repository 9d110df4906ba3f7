package io.phoenix.execution;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.StashBuffer;
import akka.actor.typed.javadsl.TimerScheduler;
import com.fasterxml.jackson.databind.JsonNode;
import io.phoenix.binance.rest.RestResult;
import io.phoenix.config.GatewaySettings;
import io.phoenix.core.Instrument;
import io.phoenix.model.OrderEvent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * The timers and the holding of the gateway's {@code recovering} phase, around what it learns
 * ({@link StartupRecovery}): the phase's bound ({@code recovery.timeout}), the retries of the
 * open-orders reads, and the stash that keeps what arrives meanwhile (at most {@code
 * hold-capacity}). The gateway keeps the phase's receive table and sends the reads; this class
 * knows its messages only through the two it is given, so it names no actor protocol.
 *
 * @param <C> the gateway's command type
 */
final class RecoveryPhase<C> {
  private static final String TIMEOUT = "recovery-timeout";

  private final StartupRecovery<ActorRef<OrderEvent>> session;
  private final ActorContext<C> context;
  private final TimerScheduler<C> timers;
  private final StashBuffer<C> stash;
  private final IntFunction<C> readDue;
  private final C timedOut;
  private final GatewaySettings.RecoverySettings settings;

  /**
   * @param readDue the message a symbol's read retry comes back as
   * @param timedOut the message the phase's bound comes back as
   */
  RecoveryPhase(
      ActorContext<C> context,
      TimerScheduler<C> timers,
      StashBuffer<C> stash,
      IntFunction<C> readDue,
      C timedOut,
      GatewaySettings settings,
      Map<Integer, Instrument> instruments,
      GatewayMetrics metrics) {
    this.context = context;
    this.timers = timers;
    this.stash = stash;
    this.readDue = readDue;
    this.timedOut = timedOut;
    this.settings = settings.recovery();
    this.session =
        new StartupRecovery<>(
            instruments,
            OrderTable.Settings.of(settings),
            metrics,
            context.getLog(),
            System.currentTimeMillis());
  }

  /** Every symbol's open orders are read (or given up on). */
  boolean done() {
    return session.done();
  }

  /** Whether the symbol's open orders are still to be read. */
  boolean awaits(int symbolId) {
    return session.awaits(symbolId);
  }

  /** Starts the phase's bound; the gateway sends the reads. */
  void start() {
    timers.startSingleTimer(TIMEOUT, timedOut, settings.timeout());
  }

  /** Reads the symbol's open orders again after {@code delay}. */
  void retry(int symbolId, Duration delay) {
    timers.startSingleTimer(List.of("snapshot", symbolId), readDue.apply(symbolId), delay);
  }

  /**
   * The answer to a read (rate limits and clock already handled by the gateway); a failed read is
   * retried. Returns whether every symbol is done.
   */
  boolean onOpenOrders(int symbolId, RestResult<JsonNode> r, Predicate<String> ours) {
    Duration again = session.onOpenOrders(symbolId, r, ours);
    if (again != null) {
      retry(symbolId, again);
    }
    return session.done();
  }

  /** The bound struck: the symbols not read are given up on and their retries cancelled. */
  void timedOut() {
    session.timedOut(settings.timeout()).forEach(id -> timers.cancel(List.of("snapshot", id)));
  }

  /** Keeps {@code msg} for the running gateway; false when the stash is full. */
  boolean hold(C msg) {
    if (stash.size() >= settings.holdCapacity()) {
      return false;
    }
    stash.stash(msg);
    return true;
  }

  /**
   * A report dropped for want of room is covered by the open-orders read and reconciliation; a
   * dropped working-orders request by its asker's timeout (an answer now would list a
   * half-recovered table).
   */
  Behavior<C> holdOrDrop(C msg, String what) {
    if (!hold(msg)) {
      context.getLog().warn("Dropping {} while recovering: hold capacity reached", what);
    }
    return Behaviors.same();
  }

  void handedOver(List<RestartSettlement.Hint<ActorRef<OrderEvent>>> previous) {
    session.handedOver(previous);
  }

  /**
   * The handed-over orders the table has not taken in (a failure during recovery must not lose
   * them).
   */
  List<RestartSettlement.Hint<ActorRef<OrderEvent>>> hintsNotIn(Predicate<String> inTable) {
    return session.hintsNotIn(inTable);
  }

  /** Ends the phase: settles what was learnt into the table; the stash is still to be unstashed. */
  void finish(RestartSettlement<ActorRef<OrderEvent>> settlement) {
    timers.cancel(TIMEOUT);
    StartupRecovery.Summary summary = session.finish(settlement);
    context
        .getLog()
        .info(
            "Order gateway recovered in {} ms: {} orders handed over, {} open orders adopted"
                + " without a requester, {} of other epochs being cancelled, {} intents and"
                + " reports held",
            System.currentTimeMillis() - session.startedMillis(),
            summary.handedOver(),
            summary.adoptedWithoutRequester(),
            summary.fencedOff(),
            stash.size());
  }
}
