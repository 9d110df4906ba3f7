package io.phoenix.account;

import akka.actor.typed.ActorRef;
import io.phoenix.model.AccountEvent;
import io.phoenix.model.AccountEvent.OrderUpdate;
import io.phoenix.model.AccountEvent.PositionUpdate;
import io.phoenix.model.AccountEvent.UserStreamDown;
import io.phoenix.model.AccountEvent.UserStreamUp;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Who gets which account event of the user data feed. One instance per created feed behavior, so
 * that a restarted incarnation still knows whom to tell; only one incarnation runs at a time, so
 * there is no sharing. Order and position events go to their symbol's consumers and to everyone
 * subscribed to all; Up/Down to every subscriber once; everything else to those subscribed to all.
 */
final class AccountFanOut {
  private final Map<Integer, Set<ActorRef<AccountEvent>>> bySymbol = new HashMap<>();
  private final Set<ActorRef<AccountEvent>> all = new LinkedHashSet<>();

  void subscribeSymbol(int symbolId, ActorRef<AccountEvent> consumer) {
    bySymbol.computeIfAbsent(symbolId, k -> new LinkedHashSet<>()).add(consumer);
  }

  void subscribeAll(ActorRef<AccountEvent> subscriber) {
    all.add(subscriber);
  }

  void unsubscribe(ActorRef<AccountEvent> subscriber) {
    all.remove(subscriber);
    bySymbol.values().forEach(set -> set.remove(subscriber));
  }

  /** Every subscriber, each once. */
  Set<ActorRef<AccountEvent>> everyone() {
    Set<ActorRef<AccountEvent>> everyone = new LinkedHashSet<>(all);
    bySymbol.values().forEach(everyone::addAll);
    return everyone;
  }

  void publish(AccountEvent event) {
    if (event instanceof OrderUpdate u) {
      sendToSymbol(u.symbolId(), event);
    } else if (event instanceof PositionUpdate p) {
      sendToSymbol(p.symbolId(), event);
    } else if (event instanceof UserStreamUp || event instanceof UserStreamDown) {
      everyone().forEach(ref -> ref.tell(event));
      return;
    }
    for (ActorRef<AccountEvent> ref : all) {
      ref.tell(event);
    }
  }

  private void sendToSymbol(int symbolId, AccountEvent event) {
    Set<ActorRef<AccountEvent>> consumers = bySymbol.get(symbolId);
    if (consumers != null) {
      for (ActorRef<AccountEvent> ref : consumers) {
        ref.tell(event);
      }
    }
  }
}
