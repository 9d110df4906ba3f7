package io.phoenix.risk;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import io.phoenix.core.Instrument;
import java.time.Duration;
import java.util.List;

/**
 * A trading unit's end of portfolio risk: every {@code report-interval} it asks the unit's risk for
 * its state and reports the unit's gross notional and PnL to the {@link PortfolioRisk} singleton
 * (wherever it runs), and it turns the singleton's {@link PortfolioRisk.Halt} into the unit's kill
 * switch. The unit's own limits do not depend on it: an unreachable singleton only means no
 * portfolio stop. Timer: the report tick.
 */
public final class PortfolioLink extends AbstractBehavior<PortfolioLink.Command> {

  public sealed interface Command {}

  private enum Tick implements Command {
    INSTANCE
  }

  private record StateArrived(Risk.RiskState state) implements Command {}

  /** The singleton's {@link PortfolioRisk.Halt}, through this link's adapter. */
  private record Halted(PortfolioRisk.Halt halt) implements Command {}

  private final String unit;
  private final List<Instrument> instruments;
  private final ActorRef<PortfolioRisk.Command> portfolio;
  private final ActorRef<Risk.Command> risk;
  private final ActorRef<PortfolioRisk.Halt> haltTo;
  private final ActorRef<Risk.RiskState> stateTo;

  private PortfolioLink(
      ActorContext<Command> context,
      String unit,
      List<Instrument> instruments,
      ActorRef<PortfolioRisk.Command> portfolio,
      ActorRef<Risk.Command> risk) {
    super(context);
    this.unit = unit;
    this.instruments = List.copyOf(instruments);
    this.portfolio = portfolio;
    this.risk = risk;
    this.haltTo = context.messageAdapter(PortfolioRisk.Halt.class, Halted::new);
    this.stateTo = context.messageAdapter(Risk.RiskState.class, StateArrived::new);
  }

  /**
   * @param instruments the unit's symbols, to value its positions
   * @param portfolio the singleton's proxy
   * @param risk the unit's risk actor: asked for its state, tripped on a {@link PortfolioRisk.Halt}
   * @param every how often the unit reports
   */
  public static Behavior<Command> create(
      String unit,
      List<Instrument> instruments,
      ActorRef<PortfolioRisk.Command> portfolio,
      ActorRef<Risk.Command> risk,
      Duration every) {
    return Behaviors.setup(
        context ->
            Behaviors.withTimers(
                timers -> {
                  timers.startTimerWithFixedDelay(Tick.INSTANCE, every);
                  return new PortfolioLink(context, unit, instruments, portfolio, risk);
                }));
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessage(StateArrived.class, this::onState)
        .onMessage(Halted.class, this::onHalt)
        .build();
  }

  private Behavior<Command> onTick() {
    risk.tell(new Risk.GetState(stateTo));
    return this;
  }

  private Behavior<Command> onState(StateArrived arrived) {
    Risk.RiskState state = arrived.state();
    portfolio.tell(
        new PortfolioRisk.Report(unit, grossNotional(state), state.pnl(), state.tripped(), haltTo));
    return this;
  }

  /** Sum of |position| x mark over the unit's symbols. */
  double grossNotional(Risk.RiskState state) {
    double gross = 0;
    for (Risk.SymbolRisk s : state.symbols()) {
      for (Instrument i : instruments) {
        if (i.symbol().equals(s.symbol())) {
          gross +=
              Math.abs(i.quantity().toDouble(s.positionSteps()))
                  * i.price().toDouble(s.markTicks());
        }
      }
    }
    return gross;
  }

  private Behavior<Command> onHalt(Halted halted) {
    String reason = halted.halt().reason();
    getContext().getLog().warn("unit {} halted by portfolio risk: {}", unit, reason);
    risk.tell(new Risk.Trip(reason));
    return this;
  }
}
