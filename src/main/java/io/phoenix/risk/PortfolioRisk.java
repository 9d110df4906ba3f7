package io.phoenix.risk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.phoenix.config.PortfolioSettings;
import io.phoenix.core.PhoenixSerializable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Portfolio risk of the whole cluster, one instance (a cluster singleton, which moves with the
 * oldest member): every unit's {@link PortfolioLink} reports its exposure and PnL; when the sum
 * passes a {@code phoenix.portfolio} limit every unit's link is told to {@link Halt} it, and any
 * unit reporting afterwards too, until an operator {@link Reset}. Its messages cross nodes (Jackson
 * CBOR). No timers.
 */
public final class PortfolioRisk extends AbstractBehavior<PortfolioRisk.Command> {

  public sealed interface Command {}

  /** A unit's latest numbers, and where to tell it to stop. */
  public record Report(
      String unit, double grossNotional, double dailyPnl, boolean tripped, ActorRef<Halt> link)
      implements Command, PhoenixSerializable {}

  /** To a unit's link: stop the unit. */
  public record Halt(String reason) implements PhoenixSerializable {}

  public record GetPortfolio(ActorRef<Portfolio> replyTo) implements Command, PhoenixSerializable {}

  /** The operator cleared the portfolio stop (each unit still needs its own resume). */
  public record Reset(ActorRef<Portfolio> replyTo) implements Command, PhoenixSerializable {}

  /** Reply: the summed numbers, each unit's, and the stop (null while none). */
  public record Portfolio(
      double grossNotional,
      double dailyPnl,
      Map<String, PortfolioBook.UnitLine> units,
      String tripReason)
      implements PhoenixSerializable {}

  private final PortfolioBook book;
  private final Map<String, ActorRef<Halt>> links = new HashMap<>();
  private final Map<String, String> halted = new HashMap<>();

  private PortfolioRisk(ActorContext<Command> context, PortfolioSettings settings) {
    super(context);
    this.book = new PortfolioBook(settings);
  }

  public static Behavior<Command> create(PortfolioSettings settings) {
    return Behaviors.setup(context -> new PortfolioRisk(context, settings));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Report.class, this::onReport)
        .onMessage(GetPortfolio.class, this::onGet)
        .onMessage(Reset.class, this::onReset)
        .build();
  }

  private Behavior<Command> onReport(Report r) {
    links.put(r.unit(), r.link());
    String reason =
        book.report(
            r.unit(), r.grossNotional(), r.dailyPnl(), r.tripped(), System.currentTimeMillis());
    if (reason != null) {
      if (halted.isEmpty()) {
        getContext().getLog().error("portfolio stop: {}; halting every unit", reason);
      }
      // every unit once, and again any that reports itself untripped (resumed or restarted)
      links.forEach(
          (unit, link) -> {
            if (!halted.containsKey(unit) || (unit.equals(r.unit()) && !r.tripped())) {
              halted.put(unit, reason);
              link.tell(new Halt(reason));
            }
          });
    }
    return this;
  }

  private Behavior<Command> onGet(GetPortfolio get) {
    get.replyTo().tell(portfolio());
    return this;
  }

  private Behavior<Command> onReset(Reset reset) {
    getContext()
        .getLog()
        .warn("portfolio stop cleared by the operator (was: {})", book.tripReason());
    book.reset();
    halted.clear();
    reset.replyTo().tell(portfolio());
    return this;
  }

  private Portfolio portfolio() {
    return new Portfolio(
        book.grossNotional(), book.dailyPnl(), new TreeMap<>(book.units()), book.tripReason());
  }
}
