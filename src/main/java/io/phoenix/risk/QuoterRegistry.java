package io.phoenix.risk;

import akka.actor.typed.ActorRef;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The quoters registered with risk, one per symbol, and the ways risk tells them something. Risk
 * allocates it outside its behavior's setup, so registrations survive a restart. Generic in the
 * notice type only so that this class need not know the actor whose protocol that type is.
 */
final class QuoterRegistry<N> {
  private final Map<Integer, ActorRef<N>> bySymbol = new HashMap<>();

  void register(int symbolId, ActorRef<N> quoter) {
    bySymbol.put(symbolId, quoter);
  }

  int size() {
    return bySymbol.size();
  }

  /** Tells the symbol's quoter, or every quoter when {@code symbolId} is negative. */
  void tell(int symbolId, N notice) {
    if (symbolId < 0) {
      tellAll(notice);
      return;
    }
    ActorRef<N> quoter = bySymbol.get(symbolId);
    if (quoter != null) {
      quoter.tell(notice);
    }
  }

  void tellAll(N notice) {
    for (ActorRef<N> q : bySymbol.values()) {
      q.tell(notice);
    }
  }

  /** Tells every quoter a notice made for its symbol. */
  void tellEach(IntFunction<N> noticeForSymbol) {
    for (Map.Entry<Integer, ActorRef<N>> q : bySymbol.entrySet()) {
      q.getValue().tell(noticeForSymbol.apply(q.getKey()));
    }
  }
}
