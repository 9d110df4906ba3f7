package io.phoenix;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import io.phoenix.execution.OrderGateway;
import io.phoenix.journal.JournalFeed;
import io.phoenix.market.MarketEvent;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.OrderEvent;
import io.phoenix.quoting.Quoter;
import io.phoenix.risk.Risk;

/**
 * The stateless forwarders the node wires between its actors, each named for what it carries. A
 * relay gives a producer (a market feed, the user stream, the gateway) a stable reference whatever
 * happens to the consumer behind it, and translates the producer's protocol into the consumer's.
 * The two hot-path links need no relay actor: {@code Quoter.bookOwner} (feed to quoter) and {@link
 * RiskToGateway} (risk to gateway).
 */
final class Relays {
  private Relays() {}

  /** A symbol's trades, mark prices and staleness to its quoter; mark prices to risk as well. */
  static Behavior<MarketEvent> marketToQuoterAndRisk(
      ActorRef<Quoter.Command> quoter, ActorRef<Risk.Command> risk) {
    return Behaviors.receive(MarketEvent.class)
        .onAnyMessage(
            event -> {
              quoter.tell(new Quoter.Market(event));
              if (event instanceof MarketEvent.MarkPrice) {
                risk.tell(new Risk.Market(event));
              }
              return Behaviors.same();
            })
        .build();
  }

  /**
   * Order updates of the user stream (and reconciliation's restatements) to the gateway's table.
   */
  static Behavior<AccountEvent> orderUpdatesToGateway(ActorRef<OrderGateway.Command> gateway) {
    return Behaviors.receive(AccountEvent.class)
        .onMessage(
            AccountEvent.OrderUpdate.class,
            update -> {
              gateway.tell(new OrderGateway.Report(update.report()));
              return Behaviors.same();
            })
        .onAnyMessage(event -> Behaviors.same())
        .build();
  }

  /** Every user-stream event to risk. */
  static Behavior<AccountEvent> accountToRisk(ActorRef<Risk.Command> risk) {
    return Behaviors.receive(AccountEvent.class)
        .onAnyMessage(
            event -> {
              risk.tell(new Risk.Account(event));
              return Behaviors.same();
            })
        .build();
  }

  /** Every user-stream event to the journal feed. */
  static Behavior<AccountEvent> accountToJournal(ActorRef<JournalFeed.Command> journalFeed) {
    return Behaviors.receive(AccountEvent.class)
        .onAnyMessage(
            event -> {
              journalFeed.tell(new JournalFeed.Account(event));
              return Behaviors.same();
            })
        .build();
  }

  /**
   * The gateway's halts (418, repeated 429s) to risk: a ban must stop trading, not just pause the
   * gateway.
   */
  static Behavior<OrderEvent> gatewayHaltsToRisk(ActorRef<Risk.Command> risk) {
    return Behaviors.receive(OrderEvent.class)
        .onMessage(
            OrderEvent.GatewayHalted.class,
            halted -> {
              risk.tell(new Risk.GatewayAlert(halted));
              return Behaviors.same();
            })
        .onAnyMessage(event -> Behaviors.same())
        .build();
  }
}
