package io.phoenix.market;

/**
 * The actor that keeps a symbol's book, as the feed carrying the symbol's depth stream sees it:
 * it receives that symbol's {@link BookActor.Command}s (diffs, stream losses, book queries). In
 * the node it is the symbol's quoter, which wraps them into its own protocol; a feed used alone
 * spawns a {@link BookActor}.
 */
@FunctionalInterface
public interface BookOwner {
  void tell(BookActor.Command command);
}
