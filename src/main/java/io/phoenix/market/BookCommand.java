package io.phoenix.market;

import akka.actor.typed.ActorRef;

/**
 * The protocol of whichever actor keeps a symbol's book: the symbol's {@link
 * io.phoenix.quoting.Quoter} in the node (wrapped into its own protocol), a {@link BookActor} for a
 * feed used alone. The feed carrying the symbol's depth stream sends the first two; anyone may ask
 * for the book. Both keepers answer them the same way, through one {@link HostedBook}.
 *
 * <p>The snapshot fetch's timer and result are book commands too, so that a keeper's whole book
 * protocol is this one type; only a {@link HostedBook} sends them, to its own actor.
 */
public sealed interface BookCommand {

  /** One diff, in arrival order, from the feed that carries this symbol's depth stream. */
  record ApplyDiff(DepthDiff diff) implements BookCommand {}

  /**
   * A {@code bookTicker} of the symbol: its top is used until a diff at least as new is applied.
   */
  record ApplyTicker(TickerTop top) implements BookCommand {}

  /** The socket carrying this symbol dropped (or its feed restarted): events may be lost. */
  record StreamDisconnected(String reason) implements BookCommand {}

  /** Adds a consumer of the book's {@link MarketEvent}s (a keeper that publishes none says so). */
  record Subscribe(ActorRef<MarketEvent> consumer) implements BookCommand {}

  /** Replies with the whole book (for tests, diagnostics and the dashboard; allocates). */
  record GetBook(ActorRef<BookSnapshot> replyTo) implements BookCommand {}

  /** The host's snapshot timer fired (sent by a {@link HostedBook} to its own actor). */
  enum SnapshotDue implements BookCommand {
    INSTANCE
  }

  /** The outcome of the host's snapshot fetch (sent by a {@link HostedBook} to its own actor). */
  record SnapshotFetched(byte[] body, Throwable failure) implements BookCommand {}
}
