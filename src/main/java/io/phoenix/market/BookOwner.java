package io.phoenix.market;

/**
 * The actor that keeps a symbol's book, as the feed carrying the symbol's depth stream sees it:
 * it receives that symbol's {@link BookKeeper.Command}s (diffs, stream losses, book queries). In
 * the node it is the symbol's quoter, which wraps them into its own protocol; a feed used alone
 * spawns a {@link BookKeeper}.
 */
@FunctionalInterface
public interface BookOwner {
  void tell(BookKeeper.Command command);
}
