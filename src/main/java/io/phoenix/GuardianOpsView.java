package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.RecipientRef;
import akka.actor.typed.javadsl.AskPattern;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.phoenix.account.UserDataFeed;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.OrderGateway;
import io.phoenix.execution.WorkingOrder;
import io.phoenix.market.MarketFeed;
import io.phoenix.ops.OpsView;
import io.phoenix.quoting.Quoter;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.QuoterStatus;
import io.phoenix.risk.Risk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@link OpsView} over the running node, answered by the actors that own each value at request
 * time: the guardian names the components ({@link PhoenixGuardian.GetParts}), then every quoter
 * (its top of book and its quotes of one moment, PnL), risk (positions, marks, kill switch), the
 * feeds (connection state) and the gateway (orders) are asked, each bounded by the view timeout;
 * one that does not answer fails the request (the server answers 503). Feed counters are read from
 * the feeds' thread-safe meters. Only the order-budget rate is the guardian's last status tick
 * ({@link NodeProbes}): it is a rate over that interval.
 */
final class GuardianOpsView implements OpsView {
  private final ActorSystem<PhoenixGuardian.Command> system;
  private final NodeProbes probes;
  private final UnitDirectory units;
  private final RiskSettings limits;
  private final Duration timeout;
  private final MeterRegistry meters;
  private final String node;
  private final long startMillis = System.currentTimeMillis();

  GuardianOpsView(
      ActorSystem<PhoenixGuardian.Command> system,
      NodeProbes probes,
      RiskSettings limits,
      Duration timeout,
      MeterRegistry meters) {
    this(system, probes, limits, timeout, meters, new UnitDirectory(List.of()));
  }

  /**
   * @param units where the cluster's trading units run ({@link #cluster()})
   */
  GuardianOpsView(
      ActorSystem<PhoenixGuardian.Command> system,
      NodeProbes probes,
      RiskSettings limits,
      Duration timeout,
      MeterRegistry meters,
      UnitDirectory units) {
    this.units = units;
    this.system = system;
    this.probes = probes;
    this.limits = limits;
    this.timeout = timeout;
    this.meters = meters;
    this.node = system.address().toString();
  }

  private <C, T> CompletableFuture<T> ask(RecipientRef<C> to, Function<ActorRef<T>, C> message) {
    return ask(to, message, timeout);
  }

  private <C, T> CompletableFuture<T> ask(
      RecipientRef<C> to, Function<ActorRef<T>, C> message, Duration within) {
    return AskPattern.ask(to, message::apply, within, system.scheduler()).toCompletableFuture();
  }

  private CompletableFuture<PhoenixGuardian.Parts> parts() {
    return this.<PhoenixGuardian.Command, PhoenixGuardian.Parts>ask(
        system, PhoenixGuardian.GetParts::new);
  }

  private static <T> CompletableFuture<List<T>> all(List<CompletableFuture<T>> futures) {
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList());
  }

  /** Every quoter's status, by symbol. */
  private CompletableFuture<Map<String, QuoterStatus>> quoters(PhoenixGuardian.Parts parts) {
    List<CompletableFuture<QuoterStatus>> asks = new ArrayList<>();
    parts.quoters().values().forEach(q -> asks.add(ask(q, Quoter.GetStatus::new)));
    return all(asks)
        .thenApply(
            list -> {
              Map<String, QuoterStatus> bySymbol = new HashMap<>();
              list.forEach(s -> bySymbol.put(s.symbol(), s));
              return bySymbol;
            });
  }

  private CompletableFuture<Risk.RiskState> risk(PhoenixGuardian.Parts parts) {
    return parts.risk() == null
        ? CompletableFuture.completedFuture(null)
        : ask(parts.risk(), Risk.GetState::new);
  }

  /**
   * A feed that does not answer in half the view timeout (restarting, say) is shown as not
   * connected, its counters still read, rather than failing the whole status.
   */
  private CompletableFuture<List<FeedHealth>> feeds(PhoenixGuardian.Parts parts) {
    Duration within = timeout.dividedBy(2);
    List<CompletableFuture<FeedHealth>> asks = new ArrayList<>();
    for (MarketFeedPart feed : parts.marketFeeds()) {
      asks.add(
          this.<MarketFeed.Command, MarketFeed.Status>ask(
                  feed.feed(), MarketFeed.GetStatus::new, within)
              .handle((s, e) -> marketFeed(feed, s)));
    }
    if (parts.userFeed() != null) {
      asks.add(
          this.<UserDataFeed.Command, UserDataFeed.Status>ask(
                  parts.userFeed(), UserDataFeed.GetStatus::new, within)
              .handle(
                  (s, e) ->
                      s == null
                          ? new FeedHealth("user-data", false, 0, 0, 0, Double.NaN)
                          : new FeedHealth(
                              "user-data",
                              s.up(),
                              s.frames(),
                              s.reconcileDifferences(),
                              s.reconnects(),
                              Double.NaN)));
    }
    return all(asks);
  }

  /**
   * @param status null when the feed did not answer
   */
  private FeedHealth marketFeed(MarketFeedPart feed, MarketFeed.Status status) {
    long events = 0;
    long gaps = 0;
    for (Instrument ins : feed.instruments()) {
      events += feed.metrics().events(ins.id());
      gaps += feed.metrics().gaps(ins.id());
    }
    return new FeedHealth(
        "market-" + feed.name(),
        status != null && status.connected(),
        events,
        gaps,
        status == null ? 0 : Math.max(0, status.connections() - 1),
        lagSeconds(feed.name()));
  }

  /**
   * Median receive-minus-event lag of the feed's symbols over the meters' recent window (the worst
   * symbol); NaN without samples.
   */
  private double lagSeconds(String feed) {
    double worst = Double.NaN;
    for (Timer timer : meters.find("phoenix.feed.lag").tag("feed", feed).timers()) {
      for (ValueAtPercentile p : timer.takeSnapshot().percentileValues()) {
        if (p.percentile() == 0.5 && timer.count() > 0) {
          double seconds = p.value(TimeUnit.SECONDS);
          worst = Double.isNaN(worst) ? seconds : Math.max(worst, seconds);
        }
      }
    }
    return worst;
  }

  @Override
  public CompletionStage<Status> status() {
    return parts()
        .thenCompose(
            parts -> {
              CompletableFuture<Map<String, QuoterStatus>> quoters = quoters(parts);
              CompletableFuture<Risk.RiskState> risk = risk(parts);
              CompletableFuture<List<FeedHealth>> feeds = feeds(parts);
              return CompletableFuture.allOf(quoters, risk, feeds)
                  .thenApply(
                      v -> {
                        List<SymbolView> symbols = new ArrayList<>();
                        for (Instrument ins : parts.instruments()) {
                          symbols.add(
                              symbol(
                                  ins,
                                  quoters.join().get(ins.symbol()),
                                  NodeProbes.symbolRisk(risk.join(), ins)));
                        }
                        long now = System.currentTimeMillis();
                        return new Status(
                            node,
                            now,
                            now - startMillis,
                            killSwitch(risk.join()),
                            symbols,
                            feeds.join());
                      });
            });
  }

  /** Book top and our quotes both from the one quoter status, so they are of the same moment. */
  private static SymbolView symbol(Instrument ins, QuoterStatus q, Risk.SymbolRisk r) {
    boolean book = q != null && q.bookBid() > 0 && q.bookAsk() > 0;
    boolean bookValid =
        book && q.halt() != QuoterCore.Halt.BOOK_INVALID && q.halt() != QuoterCore.Halt.NO_BOOK;
    return new SymbolView(
        ins.symbol(),
        q != null && q.halt() == QuoterCore.Halt.NONE,
        bookValid,
        book ? price(ins, q.bookBid()) : Double.NaN,
        book ? qty(ins, q.bookBidQty()) : Double.NaN,
        book ? price(ins, q.bookAsk()) : Double.NaN,
        book ? qty(ins, q.bookAskQty()) : Double.NaN,
        q == null || q.bidPrice() == 0 ? Double.NaN : price(ins, q.bidPrice()),
        q == null || q.bidPrice() == 0 ? Double.NaN : qty(ins, q.bidQty()),
        q == null || q.askPrice() == 0 ? Double.NaN : price(ins, q.askPrice()),
        q == null || q.askPrice() == 0 ? Double.NaN : qty(ins, q.askQty()),
        r == null ? Double.NaN : qty(ins, r.positionSteps()),
        q == null ? Double.NaN : q.realisedPnl(),
        q == null ? Double.NaN : q.unrealisedPnl(),
        q == null ? Double.NaN : q.edge().fees(),
        q == null ? Double.NaN : q.edge().netPnl(),
        q == null ? Double.NaN : q.edge().makerRate(),
        q == null ? Double.NaN : q.edge().feeFloorBps(),
        q == null ? Double.NaN : q.edge().markout1sBps(),
        q == null ? Double.NaN : q.edge().markout10sBps(),
        q == null ? 0 : q.edge().markouts1s(),
        q == null ? Double.NaN : q.edge().adaptiveBidBps(),
        q == null ? Double.NaN : q.edge().adaptiveAskBps());
  }

  @Override
  public CompletionStage<List<PositionView>> positions() {
    return parts()
        .thenCompose(
            parts -> {
              CompletableFuture<Map<String, QuoterStatus>> quoters = quoters(parts);
              CompletableFuture<Risk.RiskState> risk = risk(parts);
              return CompletableFuture.allOf(quoters, risk)
                  .thenApply(
                      v -> {
                        List<PositionView> out = new ArrayList<>();
                        for (Instrument ins : parts.instruments()) {
                          QuoterStatus q = quoters.join().get(ins.symbol());
                          Risk.SymbolRisk r = NodeProbes.symbolRisk(risk.join(), ins);
                          double mark =
                              r == null || r.markTicks() <= 0
                                  ? Double.NaN
                                  : price(ins, r.markTicks());
                          out.add(
                              new PositionView(
                                  ins.symbol(),
                                  r == null ? Double.NaN : qty(ins, r.positionSteps()),
                                  q == null || q.positionSteps() == 0 ? Double.NaN : q.entryPrice(),
                                  mark,
                                  r == null || Double.isNaN(mark)
                                      ? Double.NaN
                                      : ins.notional(r.markTicks(), Math.abs(r.positionSteps())),
                                  q == null ? Double.NaN : q.unrealisedPnl(),
                                  q == null ? Double.NaN : q.realisedPnl(),
                                  Double
                                      .NaN)); // the user stream reports funding per asset, not per
                          // symbol
                        }
                        return out;
                      });
            });
  }

  @Override
  public CompletionStage<List<OrderView>> orders() {
    List<ActorRef<PhoenixGuardian.Command>> local = units.local();
    if (local.isEmpty()) {
      return this.<PhoenixGuardian.Command, OrderGateway.WorkingOrders>ask(
              system, PhoenixGuardian.GetWorkingOrders::new)
          .thenApply(w -> orderViews(probes.instruments(), w));
    }
    // every unit on this node, each with its own symbols
    List<CompletableFuture<List<OrderView>>> each = new ArrayList<>();
    for (ActorRef<PhoenixGuardian.Command> unit : local) {
      each.add(
          this.<PhoenixGuardian.Command, PhoenixGuardian.Parts>ask(
                  unit, PhoenixGuardian.GetParts::new)
              .thenCompose(
                  parts ->
                      this.<PhoenixGuardian.Command, OrderGateway.WorkingOrders>ask(
                              unit, PhoenixGuardian.GetWorkingOrders::new)
                          .thenApply(w -> orderViews(parts.instruments(), w)))
              .toCompletableFuture());
    }
    return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
        .thenApply(v -> each.stream().flatMap(f -> f.join().stream()).toList());
  }

  private static List<OrderView> orderViews(
      List<Instrument> instruments, OrderGateway.WorkingOrders w) {
    List<OrderView> out = new ArrayList<>();
    for (WorkingOrder o : w.orders()) {
      Instrument ins =
          o.symbolId() >= 0 && o.symbolId() < instruments.size()
              ? instruments.get(o.symbolId())
              : null;
      if (ins == null) {
        continue;
      }
      out.add(
          new OrderView(
              ins.symbol(),
              o.clientOrderId(),
              o.orderId(),
              o.side().name(),
              price(ins, o.priceTicks()),
              qty(ins, o.origQtySteps()),
              qty(ins, o.cumQtySteps()),
              o.state().name(),
              o.lastChangeMillis()));
    }
    return out;
  }

  @Override
  public CompletionStage<RiskView> risk() {
    return parts()
        .thenCompose(this::risk)
        .thenApply(
            r -> {
              if (r == null) {
                throw new IllegalStateException("risk is not running yet");
              }
              double gross = 0;
              for (Risk.SymbolRisk s : r.symbols()) {
                Instrument ins = instrument(s.symbol());
                if (ins != null && s.markTicks() > 0) {
                  gross += ins.notional(s.markTicks(), Math.abs(s.positionSteps()));
                }
              }
              Map<String, Long> rejects = new TreeMap<>();
              if (r.rejectsByReason() != null) {
                r.rejectsByReason()
                    .forEach((reason, n) -> rejects.put(StatusBoard.code(reason), n));
              }
              return new RiskView(
                  killSwitch(r),
                  r.pnl(),
                  limits.dailyLossLimit(),
                  gross,
                  limits.maxGrossNotional(),
                  probes.orderBudgetUsed(),
                  r.openOrders(),
                  r.consecutiveRejects(),
                  rejects);
            });
  }

  @Override
  public CompletionStage<KillSwitchState> kill(String reason) {
    return this.<PhoenixGuardian.Command, Risk.RiskState>ask(
            system, replyTo -> new PhoenixGuardian.Kill(reason, replyTo))
        .thenApply(GuardianOpsView::killSwitch);
  }

  @Override
  public CompletionStage<KillSwitchState> resume() {
    return this.<PhoenixGuardian.Command, Risk.RiskState>ask(system, PhoenixGuardian.Resume::new)
        .thenApply(GuardianOpsView::killSwitch);
  }

  @Override
  public CompletionStage<ClusterView> cluster() {
    if (!io.phoenix.cluster.ClusterMembership.isMember(system)) {
      return CompletableFuture.failedFuture(new IllegalStateException("not a cluster member"));
    }
    akka.cluster.ClusterEvent.CurrentClusterState state =
        akka.cluster.typed.Cluster.get(system).state();
    java.util.Set<akka.cluster.Member> unreachable = state.getUnreachable();
    List<MemberView> members = new ArrayList<>();
    for (akka.cluster.Member m : state.getMembers()) {
      members.add(
          new MemberView(m.address().toString(), m.status().toString(), !unreachable.contains(m)));
    }
    String self = akka.cluster.typed.Cluster.get(system).selfMember().address().toString();
    String leader = state.getLeader() == null ? "" : state.getLeader().toString();
    return CompletableFuture.completedFuture(
        new ClusterView(self, leader, List.copyOf(members), units.placement(self)));
  }

  private Instrument instrument(String symbol) {
    for (Instrument i : probes.instruments()) {
      if (i.symbol().equals(symbol)) {
        return i;
      }
    }
    return null;
  }

  private static double price(Instrument ins, long ticks) {
    return ins.price().toDouble(ticks);
  }

  private static double qty(Instrument ins, long steps) {
    return ins.quantity().toDouble(steps);
  }

  private static KillSwitchState killSwitch(Risk.RiskState r) {
    if (r == null || !r.tripped()) {
      return KillSwitchState.off();
    }
    String detail = r.tripDetail() == null || r.tripDetail().isEmpty() ? "" : ": " + r.tripDetail();
    return new KillSwitchState(true, r.tripReason() + detail, r.trippedAtMillis());
  }
}
