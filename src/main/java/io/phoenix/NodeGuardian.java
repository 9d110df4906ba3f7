package io.phoenix;

import akka.Done;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.ShardedDaemonProcessSettings;
import akka.cluster.sharding.typed.javadsl.ShardedDaemonProcess;
import io.phoenix.execution.OrderGateway;
import io.phoenix.journal.Journal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The node's root. It places the cluster's trading units ({@code phoenix.units}) with Akka Cluster
 * Sharding's {@link ShardedDaemonProcess}: each unit runs on exactly one member, moves when its
 * node leaves or dies, and rebalances when a node joins; a unit leaving a node gets {@link
 * PhoenixGuardian.HandOff} and stops after cancelling its orders. The unit's guardian is {@link
 * PhoenixGuardian}.
 *
 * <p>It speaks the units' protocol so that the node's readers (ops view, health checks, tests,
 * drills) ask the node as they would ask a unit: questions go to the first unit this node hosts (in
 * {@code phoenix.units} order; a node hosting none answers "not started"), operator stops ({@link
 * PhoenixGuardian.Kill}, {@link PhoenixGuardian.Resume}, {@link PhoenixGuardian.StopQuoting}) to
 * every unit it hosts. No state of its own beyond the {@link UnitDirectory}; no timers.
 */
final class NodeGuardian {
  static final String UNITS = "trading-units";

  private NodeGuardian() {}

  /**
   * @param unit the behaviour of the unit at each index of {@code directory.names()}
   */
  static Behavior<PhoenixGuardian.Command> create(
      UnitDirectory directory, IntFunction<Behavior<PhoenixGuardian.Command>> unit) {
    return Behaviors.setup(
        context -> {
          context.spawn(UnitRegistry.create(directory), "unit-registry");
          ShardedDaemonProcess.get(context.getSystem())
              .init(
                  PhoenixGuardian.Command.class,
                  UNITS,
                  directory.names().size(),
                  // a unit that fails starts again alone, ever more slowly (a symbol the venue
                  // does not list would otherwise retry every keep-alive)
                  i ->
                      Behaviors.supervise(unit.apply(i))
                          .onFailure(
                              SupervisorStrategy.restartWithBackoff(
                                  Duration.ofSeconds(1), Duration.ofSeconds(60), 0.2)),
                  ShardedDaemonProcessSettings.create(context.getSystem()),
                  Optional.of(PhoenixGuardian.HandOff.INSTANCE));
          return Behaviors.receive(PhoenixGuardian.Command.class)
              .onAnyMessage(command -> forward(context, directory.local(), command))
              .build();
        });
  }

  private static Behavior<PhoenixGuardian.Command> forward(
      ActorContext<PhoenixGuardian.Command> context,
      List<ActorRef<PhoenixGuardian.Command>> local,
      PhoenixGuardian.Command command) {
    ActorRef<PhoenixGuardian.Command> first = local.isEmpty() ? null : local.get(0);
    if (command instanceof PhoenixGuardian.Kill kill) {
      for (ActorRef<PhoenixGuardian.Command> u : local) {
        u.tell(
            u == first
                ? kill
                : new PhoenixGuardian.Kill(kill.reason(), context.getSystem().ignoreRef()));
      }
    } else if (command instanceof PhoenixGuardian.Resume resume) {
      for (ActorRef<PhoenixGuardian.Command> u : local) {
        u.tell(u == first ? resume : new PhoenixGuardian.Resume(context.getSystem().ignoreRef()));
      }
    } else if (command instanceof PhoenixGuardian.StopQuoting stop) {
      local.forEach(u -> u.tell(new PhoenixGuardian.StopQuoting(context.getSystem().ignoreRef())));
      stop.replyTo().tell(Done.getInstance());
    } else if (first != null) {
      first.tell(command);
    } else {
      answerWithoutUnit(command);
    }
    return Behaviors.same();
  }

  /** What a node hosting no unit answers: nothing started, nothing held. */
  private static void answerWithoutUnit(PhoenixGuardian.Command command) {
    if (command instanceof PhoenixGuardian.GetStatus get) {
      get.replyTo().tell(new PhoenixGuardian.NodeStatus(false, List.of(), List.of(), null));
    } else if (command instanceof PhoenixGuardian.GetParts get) {
      get.replyTo()
          .tell(new PhoenixGuardian.Parts(List.of(), Map.of(), null, List.of(), null, null, null));
    } else if (command instanceof PhoenixGuardian.GetWorkingOrders get) {
      get.replyTo().tell(new OrderGateway.WorkingOrders(List.of()));
    } else if (command instanceof PhoenixGuardian.FlushJournal flush) {
      flush.replyTo().tell(new Journal.Flushed(0, 0));
    } else if (command instanceof PhoenixGuardian.CloseFeeds close) {
      close.replyTo().tell(Done.getInstance());
    }
    // GetRisk: no reply before a unit runs here, as before start
  }
}
