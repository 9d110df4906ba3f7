package io.phoenix.market;

import akka.actor.typed.ActorRef;

/**
 * The actor that keeps a symbol's book, as the feed carrying the symbol's depth stream sees it: it
 * receives that symbol's {@link BookCommand}s (diffs, stream losses, book queries). In the node it
 * is the symbol's quoter ({@code Quoter.bookOwner}, which wraps them into the quoter's protocol); a
 * feed used alone spawns a {@link BookActor}.
 */
@FunctionalInterface
public interface BookOwner {
  void tell(BookCommand command);

  /** An actor whose protocol is {@link BookCommand} itself. */
  static BookOwner of(ActorRef<BookCommand> keeper) {
    return keeper::tell;
  }
}
