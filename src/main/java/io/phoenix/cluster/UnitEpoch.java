package io.phoenix.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ddata.Key;
import akka.cluster.ddata.LWWRegister;
import akka.cluster.ddata.LWWRegisterKey;
import akka.cluster.ddata.SelfUniqueAddress;
import akka.cluster.ddata.typed.javadsl.DistributedData;
import akka.cluster.ddata.typed.javadsl.Replicator;
import akka.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import io.phoenix.config.ClusterSettings;
import io.phoenix.execution.ClientOrderIds;
import io.phoenix.execution.EpochLease;

/**
 * Keeps a trading unit's fencing epoch: a register per unit in Akka Distributed Data whose merge
 * keeps the highest epoch written, raised with a majority write when an incarnation starts (one
 * above the highest known, never below the floor the account's recent orders set) and read back
 * from a majority, so that every incarnation has a higher epoch than any before it and a unit on
 * the minority side of a partition gets none (it cannot start). Then every {@code
 * lease-renew-interval} a majority read renews the {@link EpochLease} (from the moment the read was
 * sent): a unit that cannot reach the majority, or was paused past the lease, stops sending new
 * orders by itself until the next successful read; a read that finds a newer epoch, or a gateway
 * that saw one of its orders, supersedes it for good.
 *
 * <p>Replies to its parent: {@link Acquired} once, {@link Superseded} once. Timers: the acquire
 * retry, the renew tick.
 */
public final class UnitEpoch extends AbstractBehavior<UnitEpoch.Command> {

  public sealed interface Command {}

  /** The epoch of this incarnation and its lease, valid for {@code lease} from now. */
  public record Acquired(EpochLease lease) {}

  /** A newer incarnation of the unit exists: this one must send no new order. */
  public record Superseded(long epoch, long newerEpoch) {}

  private record Incremented(Replicator.UpdateResponse<LWWRegister<Long>> response)
      implements Command {}

  private record Read(Replicator.GetResponse<LWWRegister<Long>> response, long sentNanos)
      implements Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  // a unit without an epoch is a unit not trading: ask again soon
  private static final java.time.Duration RETRY = java.time.Duration.ofMillis(200);

  private final TimerScheduler<Command> timers;
  private final ReplicatorMessageAdapter<Command, LWWRegister<Long>> replicator;
  private final ClusterSettings settings;
  private final Key<LWWRegister<Long>> key;
  // the register's timestamp is the epoch itself: merging replicas keeps the highest epoch ever
  // written (a counter would add up the replicas' increments instead)
  private static final LWWRegister.Clock<Long> EPOCH_IS_THE_CLOCK = (current, epoch) -> epoch;
  private final SelfUniqueAddress self;
  private final ActorRef<Acquired> acquiredTo;
  private final ActorRef<Superseded> supersededTo;
  private final long floor;
  private boolean incremented;
  private EpochLease lease;
  private boolean reportedSuperseded;
  private boolean lapsed;

  private UnitEpoch(
      ActorContext<Command> context,
      TimerScheduler<Command> timers,
      ReplicatorMessageAdapter<Command, LWWRegister<Long>> replicator,
      String unit,
      ClusterSettings settings,
      long floor,
      ActorRef<Acquired> acquiredTo,
      ActorRef<Superseded> supersededTo) {
    super(context);
    this.floor = floor;
    this.timers = timers;
    this.replicator = replicator;
    this.settings = settings;
    this.key = LWWRegisterKey.create("unit-epoch-" + unit);
    this.self = DistributedData.get(context.getSystem()).selfUniqueAddress();
    this.acquiredTo = acquiredTo;
    this.supersededTo = supersededTo;
  }

  /**
   * @param unit the trading unit's name: one register per unit across the cluster
   * @param floor the lowest epoch acceptable: above every epoch among the account's recent orders,
   *     should the register have lost writes (its only holders left before the value spread)
   */
  public static Behavior<Command> create(
      String unit,
      ClusterSettings settings,
      long floor,
      ActorRef<Acquired> acquiredTo,
      ActorRef<Superseded> supersededTo) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers ->
                    DistributedData.withReplicatorMessageAdapter(
                        (ReplicatorMessageAdapter<Command, LWWRegister<Long>> replicator) -> {
                          UnitEpoch keeper =
                              new UnitEpoch(
                                  context,
                                  timers,
                                  replicator,
                                  unit,
                                  settings,
                                  floor,
                                  acquiredTo,
                                  supersededTo);
                          keeper.increment();
                          return keeper;
                        })));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Incremented.class, this::onIncremented)
        .onMessage(Read.class, this::onRead)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  /** Writes the next epoch: one above the highest known, at least the floor. */
  private void increment() {
    replicator.askUpdate(
        replyTo ->
            new Replicator.Update<>(
                key,
                LWWRegister.create(self, 0L, EPOCH_IS_THE_CLOCK),
                new Replicator.WriteMajority(settings.epochTimeout()),
                replyTo,
                register ->
                    register.withValue(
                        self, Math.max(register.getValue() + 1, floor), EPOCH_IS_THE_CLOCK)),
        Incremented::new);
  }

  private void read() {
    long sent = System.nanoTime();
    replicator.askGet(
        replyTo ->
            new Replicator.Get<>(
                key, new Replicator.ReadMajority(settings.epochTimeout()), replyTo),
        response -> new Read(response, sent));
  }

  private Behavior<Command> onIncremented(Incremented done) {
    if (done.response() instanceof Replicator.UpdateSuccess<LWWRegister<Long>>) {
      incremented = true;
      read();
    } else {
      // no majority (a partition, members still joining, or one that just left and is still
      // counted): this side may not trade yet; the retry writes again, at most skipping an epoch
      getContext()
          .getLog()
          .warn(
              "epoch: no majority took the write ({}); retrying in {}",
              done.response().getClass().getSimpleName(),
              RETRY);
      timers.startSingleTimer(Tick.INSTANCE, RETRY);
    }
    return this;
  }

  private Behavior<Command> onTick() {
    if (!incremented) {
      increment();
    } else {
      if (lease != null && lease.supersededBy() != 0) {
        reportSuperseded(lease.supersededBy());
        return this;
      }
      read();
    }
    return this;
  }

  private Behavior<Command> onRead(Read read) {
    long value = -1;
    if (read.response() instanceof Replicator.GetSuccess<LWWRegister<Long>> ok) {
      value = ok.get(key).getValue();
    }
    if (value <= 0) {
      if (lease != null && !lapsed && !lease.allowsNewOrders(System.nanoTime())) {
        lapsed = true;
        getContext()
            .getLog()
            .warn(
                "epoch {}: lease lapsed, no majority confirms it; new orders held", lease.epoch());
      }
      timers.startSingleTimer(Tick.INSTANCE, settings.leaseRenewInterval());
      return this;
    }
    long validUntil = read.sentNanos() + settings.lease().toNanos();
    if (lease == null) {
      long epoch = Math.min(value, ClientOrderIds.MAX_EPOCH);
      lease = EpochLease.of(epoch, validUntil);
      getContext().getLog().info("epoch {} acquired", epoch);
      acquiredTo.tell(new Acquired(lease));
    } else if (value > lease.epoch()) {
      lease.supersede(value);
      reportSuperseded(value);
      return this;
    } else {
      // equal, or lower on replicas that have not heard of this epoch yet: nothing newer exists
      lease.renew(validUntil);
      if (lapsed) {
        lapsed = false;
        getContext().getLog().info("epoch {}: lease confirmed again", lease.epoch());
      }
    }
    timers.startSingleTimer(Tick.INSTANCE, settings.leaseRenewInterval());
    return this;
  }

  private void reportSuperseded(long newer) {
    if (!reportedSuperseded) {
      reportedSuperseded = true;
      getContext()
          .getLog()
          .error("epoch {} superseded by epoch {}: this incarnation stops", lease.epoch(), newer);
      supersededTo.tell(new Superseded(lease.epoch(), newer));
    }
  }
}
