package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.execution.OrderGateway;
import io.phoenix.market.MarketEvent;
import io.phoenix.ops.OpsView;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;
import io.phoenix.risk.RiskReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link OpsView} over the running node: asks {@link PhoenixGuardian} (status, working orders,
 * risk state, kill and resume, which the guardian forwards to risk) and reads {@link NodeProbes}
 * for what the guardian publishes continuously (top of book, feeds, order budget). Quoter
 * statuses are those of the guardian's last status tick ({@code phoenix.guardian.status-interval}).
 */
final class GuardianOpsView implements OpsView {
  private final ActorSystem<PhoenixGuardian.Command> system;
  private final NodeProbes probes;
  private final RiskSettings limits;
  private final Duration timeout;
  private final String node;
  private final long startMillis = System.currentTimeMillis();

  GuardianOpsView(ActorSystem<PhoenixGuardian.Command> system, NodeProbes probes, RiskSettings limits, Duration timeout) {
    this.system = system;
    this.probes = probes;
    this.limits = limits;
    this.timeout = timeout;
    this.node = system.address().toString();
  }

  private <T> CompletionStage<T> ask(Function<ActorRef<T>, PhoenixGuardian.Command> message) {
    return AskPattern.ask(system, message::apply, timeout, system.scheduler());
  }

  @Override
  public CompletionStage<Status> status() {
    return ask(PhoenixGuardian.GetStatus::new).thenApply(s -> {
      List<SymbolView> symbols = new ArrayList<>();
      for (Instrument ins : s.instruments()) {
        Quoter.Status q = quoter(s, ins.symbol());
        MarketEvent.BookUpdated book = probes.book(ins.id());
        boolean bookValid = book != null && (q == null || (q.halt() != QuoterCore.Halt.BOOK_INVALID && q.halt() != QuoterCore.Halt.NO_BOOK));
        symbols.add(new SymbolView(ins.symbol(), q != null && q.halt() == QuoterCore.Halt.NONE, bookValid,
            book == null ? Double.NaN : ins.price().toDouble(book.bidPrice()),
            book == null ? Double.NaN : ins.quantity().toDouble(book.bidQty()),
            book == null ? Double.NaN : ins.price().toDouble(book.askPrice()),
            book == null ? Double.NaN : ins.quantity().toDouble(book.askQty()),
            q == null || q.bidPrice() == 0 ? Double.NaN : ins.price().toDouble(q.bidPrice()), Double.NaN,
            q == null || q.askPrice() == 0 ? Double.NaN : ins.price().toDouble(q.askPrice()), Double.NaN,
            probes.position(ins),
            q == null ? Double.NaN : q.realisedPnl(),
            q == null ? Double.NaN : q.unrealisedPnl()));
      }
      long now = System.currentTimeMillis();
      return new Status(node, now, now - startMillis, killSwitch(s.risk()), symbols, probes.feeds());
    });
  }

  @Override
  public CompletionStage<List<PositionView>> positions() {
    return ask(PhoenixGuardian.GetStatus::new).thenApply(s -> {
      List<PositionView> out = new ArrayList<>();
      for (Instrument ins : s.instruments()) {
        Quoter.Status q = quoter(s, ins.symbol());
        out.add(new PositionView(ins.symbol(), probes.position(ins), Double.NaN, probes.mark(ins), probes.notional(ins),
            q == null ? Double.NaN : q.unrealisedPnl(), q == null ? Double.NaN : q.realisedPnl(), Double.NaN));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<List<OrderView>> orders() {
    return ask(PhoenixGuardian.GetWorkingOrders::new).thenApply(w -> {
      List<Instrument> instruments = probes.instruments();
      List<OrderView> out = new ArrayList<>();
      for (OrderGateway.WorkingOrder o : w.orders()) {
        Instrument ins = o.symbolId() >= 0 && o.symbolId() < instruments.size() ? instruments.get(o.symbolId()) : null;
        if (ins == null) {
          continue;
        }
        out.add(new OrderView(ins.symbol(), o.clientOrderId(), o.orderId(), o.side().name(), ins.price().toDouble(o.priceTicks()),
            ins.quantity().toDouble(o.origQtySteps()), ins.quantity().toDouble(o.cumQtySteps()), o.state().name(), o.lastChangeMillis()));
      }
      return out;
    });
  }

  @Override
  public CompletionStage<RiskView> risk() {
    return ask(PhoenixGuardian.GetRisk::new).thenApply(r -> {
      double gross = 0;
      for (Instrument ins : probes.instruments()) {
        double n = probes.notional(ins);
        gross += Double.isNaN(n) ? 0 : n;
      }
      Map<String, Long> rejects = new TreeMap<>();
      if (r.rejectsByReason() != null) {
        r.rejectsByReason().forEach((reason, n) -> rejects.put(code(reason), n));
      }
      return new RiskView(killSwitch(r), r.pnl(), limits.dailyLossLimit(), gross, limits.maxGrossNotional(),
          probes.orderBudgetUsed(), r.openOrders(), r.consecutiveRejects(), rejects);
    });
  }

  @Override
  public CompletionStage<KillSwitchState> kill(String reason) {
    return this.<Risk.RiskState>ask(replyTo -> new PhoenixGuardian.Kill(reason, replyTo)).thenApply(GuardianOpsView::killSwitch);
  }

  @Override
  public CompletionStage<KillSwitchState> resume() {
    return ask(PhoenixGuardian.Resume::new).thenApply(GuardianOpsView::killSwitch);
  }

  static String code(RiskReason reason) {
    return "risk-" + reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  private static Quoter.Status quoter(PhoenixGuardian.NodeStatus s, String symbol) {
    for (Quoter.Status q : s.quoters()) {
      if (q.symbol().equals(symbol)) {
        return q;
      }
    }
    return null;
  }

  private static KillSwitchState killSwitch(Risk.RiskState r) {
    if (r == null || !r.tripped()) {
      return KillSwitchState.off();
    }
    String detail = r.tripDetail() == null || r.tripDetail().isEmpty() ? "" : ": " + r.tripDetail();
    return new KillSwitchState(true, r.tripReason() + detail, r.trippedAtMillis());
  }
}
