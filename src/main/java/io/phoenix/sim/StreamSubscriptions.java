package io.phoenix.sim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Market stream subscriptions: every open connection, the connections of each stream, and the
 * fan-out of a payload to a stream's subscribers. Subscriptions change on connection threads while
 * the engine thread publishes (hence the concurrent maps).
 */
final class StreamSubscriptions {
  private final Map<String, Set<WsClient>> subscribers = new ConcurrentHashMap<>();
  private final Set<WsClient> clients = ConcurrentHashMap.newKeySet();

  void register(WsClient c) {
    clients.add(c);
  }

  /** A closed connection leaves every stream it was on. */
  void unregister(WsClient c) {
    clients.remove(c);
    for (String s : c.streams.keySet()) {
      Set<WsClient> set = subscribers.get(s);
      if (set != null) {
        set.remove(c);
      }
    }
  }

  void subscribe(WsClient c, String canonical, String asWritten) {
    c.streams.put(canonical, asWritten);
    subscribers.computeIfAbsent(canonical, k -> ConcurrentHashMap.newKeySet()).add(c);
  }

  void unsubscribe(WsClient c, String canonical) {
    c.streams.remove(canonical);
    Set<WsClient> set = subscribers.get(canonical);
    if (set != null) {
      set.remove(c);
    }
  }

  /** Closes every connection (fault injection). */
  void dropAll() {
    for (WsClient c : clients) {
      c.close();
    }
  }

  int clientCount() {
    return clients.size();
  }

  boolean hasSubscribers(String name) {
    Set<WsClient> set = subscribers.get(name);
    return set != null && !set.isEmpty();
  }

  void publish(String name, String payload) {
    Set<WsClient> set = subscribers.get(name);
    if (set == null) {
      return;
    }
    for (WsClient c : set) {
      c.send(name, payload);
    }
  }
}
