package io.phoenix;

import akka.actor.typed.ActorRef;
import io.phoenix.market.BookActor;
import io.phoenix.market.BookOwner;
import io.phoenix.quoting.Quoter;

/**
 * Hot-path link 1 of 2, feed to quoter: the {@link BookOwner} a {@code MarketFeed} hands a symbol's
 * depth diffs, stream losses and book queries to. The node's quoter owns its symbol's book, so each
 * command goes straight into the quoter's mailbox wrapped as {@link Quoter.Depth}: no relay actor,
 * no extra hop. The quoter's reference survives its supervised restarts, so this never changes.
 */
final class QuoterBookOwner implements BookOwner {
  private final ActorRef<Quoter.Command> quoter;

  QuoterBookOwner(ActorRef<Quoter.Command> quoter) {
    this.quoter = quoter;
  }

  @Override
  public void tell(BookActor.Command command) {
    quoter.tell(new Quoter.Depth(command));
  }
}
