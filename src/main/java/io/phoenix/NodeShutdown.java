package io.phoenix;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import io.phoenix.execution.DeadManSwitch;
import io.phoenix.execution.OrderGateway;
import io.phoenix.journal.Journal;
import io.phoenix.ops.OpsServer;
import io.phoenix.ops.ShutdownSequence;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's steps of the {@link ShutdownSequence} (the one shutdown: no other cancel-all is
 * registered), each bounded by {@code phoenix.ops.shutdown-cancel-timeout}:
 *
 * <ol>
 *   <li>stop quoting: the guardian trips risk with reason "shutdown", which pulls every quote and
 *       sends one cancel-all per symbol;
 *   <li>cancel all and await the confirmations: wait until the gateway holds no working order, at
 *       most {@code phoenix.guardian.shutdown-grace}, then disarm the dead-man switch;
 *   <li>flush the journal;
 *   <li>close the feeds (the guardian stops them), then the ops server.
 * </ol>
 */
final class NodeShutdown {
  private static final Logger log = LoggerFactory.getLogger(NodeShutdown.class);
  // how often the gateway is asked whether it still holds orders
  private static final Duration POLL = Duration.ofMillis(100);

  private final ActorSystem<?> system;
  private final Supplier<List<ActorRef<PhoenixGuardian.Command>>> units;
  private final Duration step;
  private final Duration grace;

  private NodeShutdown(
      ActorSystem<?> system,
      Supplier<List<ActorRef<PhoenixGuardian.Command>>> units,
      Duration step,
      Duration grace) {
    this.system = system;
    this.units = units;
    this.step = step;
    this.grace = grace;
  }

  /**
   * Registers the steps with CoordinatedShutdown, each run for every trading unit on this node.
   *
   * @param units the units this node hosts when the step runs
   * @param step bound of each step ({@code phoenix.ops.shutdown-cancel-timeout})
   * @param grace how long the orders' cancels may take ({@code phoenix.guardian.shutdown-grace})
   * @param ops stopped last (null: no ops server)
   */
  static void register(
      ActorSystem<?> system,
      Supplier<List<ActorRef<PhoenixGuardian.Command>>> units,
      Duration step,
      Duration grace,
      OpsServer ops) {
    NodeShutdown node = new NodeShutdown(system, units, step, grace);
    ShutdownSequence.register(
        system,
        new ShutdownSequence.Hooks(
            () -> node.eachUnit(node::stopQuoting),
            () -> node.eachUnit(node::cancelAllAndAwaitConfirmations),
            () -> node.eachUnit(node::flushJournal),
            () -> node.eachUnit(node::closeFeeds).thenCompose(d -> stop(ops))),
        step);
  }

  /**
   * A unit that leaves this node (Cluster Sharding hands it over): the same steps for it alone, bar
   * closing the feeds, which stop with the unit.
   */
  static CompletionStage<Done> handOff(
      ActorSystem<?> system,
      ActorRef<PhoenixGuardian.Command> unit,
      Duration step,
      Duration grace) {
    NodeShutdown steps = new NodeShutdown(system, () -> List.of(unit), step, grace);
    // each step runs whatever became of the one before (the node's own shutdown may have disarmed
    // the dead-man switch already)
    return orOn("stop quoting", steps.stopQuoting(unit))
        .thenCompose(d -> orOn("cancel all", steps.cancelAllAndAwaitConfirmations(unit)))
        .thenCompose(d -> orOn("flush journal", steps.flushJournal(unit)));
  }

  private static CompletionStage<Done> orOn(String what, CompletionStage<Done> step) {
    return step.exceptionally(
        failure -> {
          log.warn("hand-off: {} failed ({}); going on", what, failure.toString());
          return Done.getInstance();
        });
  }

  private CompletionStage<Done> eachUnit(
      Function<ActorRef<PhoenixGuardian.Command>, CompletionStage<Done>> unitStep) {
    List<CompletableFuture<Done>> all =
        units.get().stream().map(u -> unitStep.apply(u).toCompletableFuture()).toList();
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
        .thenApply(v -> Done.getInstance());
  }

  private static CompletionStage<Done> stop(OpsServer ops) {
    return ops == null ? CompletableFuture.completedFuture(Done.getInstance()) : ops.stop();
  }

  private CompletionStage<Done> stopQuoting(ActorRef<PhoenixGuardian.Command> unit) {
    return ask(unit, PhoenixGuardian.StopQuoting::new, step);
  }

  private CompletionStage<Done> cancelAllAndAwaitConfirmations(
      ActorRef<PhoenixGuardian.Command> unit) {
    // stopping again is a no-op; it makes this step complete on its own
    return stopQuoting(unit)
        .thenCompose(stopped -> ask(unit, PhoenixGuardian.GetParts::new, step))
        .thenCompose(
            parts ->
                noWorkingOrders(parts.gateway())
                    .thenCompose(none -> disarm(parts.deadManSwitch())));
  }

  private CompletionStage<Boolean> noWorkingOrders(ActorRef<OrderGateway.Command> gateway) {
    if (gateway == null) {
      return CompletableFuture.completedFuture(true);
    }
    return ShutdownSequence.awaitCondition(
            system,
            () ->
                ask(gateway, OrderGateway.GetWorkingOrders::new, grace)
                    .thenApply(w -> w.orders().isEmpty()),
            POLL,
            grace)
        .thenApply(
            none -> {
              if (none) {
                log.info("shutdown: the gateway holds no working order");
              } else {
                log.warn(
                    "shutdown: the gateway still holds working orders after {}; the dead-man switch"
                        + " covers them",
                    grace);
              }
              return none;
            });
  }

  private CompletionStage<Done> disarm(ActorRef<DeadManSwitch.Command> deadManSwitch) {
    if (deadManSwitch == null) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return ask(deadManSwitch, DeadManSwitch.Disarm::new, step)
        .thenApply(
            d -> {
              log.info("dead-man switch disarmed for {} (failed {})", d.symbols(), d.failed());
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> flushJournal(ActorRef<PhoenixGuardian.Command> unit) {
    return this.<PhoenixGuardian.Command, Journal.Flushed>ask(
            unit, PhoenixGuardian.FlushJournal::new, step)
        .thenApply(
            f -> {
              if (f.pending() > 0) {
                log.error("shutdown: journal could not write {} entries", f.pending());
              } else {
                log.info("shutdown: journal flushed ({} entries written in this run)", f.written());
              }
              return Done.getInstance();
            });
  }

  private CompletionStage<Done> closeFeeds(ActorRef<PhoenixGuardian.Command> unit) {
    return ask(unit, PhoenixGuardian.CloseFeeds::new, step);
  }

  private <C, T> CompletionStage<T> ask(
      RecipientRef<C> to, Function<ActorRef<T>, C> message, Duration timeout) {
    return AskPattern.ask(to, message::apply, timeout, system.scheduler());
  }
}
