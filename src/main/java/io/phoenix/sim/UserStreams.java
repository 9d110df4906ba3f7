package io.phoenix.sim;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * User data streams: which connections listen on which listenKey, which keys an account holds, and
 * delivery of an account's events to them. Keys are bound on the engine thread; connections attach
 * and detach from their own threads (hence the concurrent maps).
 */
final class UserStreams {
  private final Map<String, Set<WsClient>> userClients = new ConcurrentHashMap<>();

  /** account -> active listenKeys; set by the engine loop so user events find their connections. */
  private final Map<String, Set<String>> keysByAccount = new ConcurrentHashMap<>();

  void bindKey(String account, String key) {
    keysByAccount.computeIfAbsent(account, a -> ConcurrentHashMap.newKeySet()).add(key);
  }

  /** DELETE listenKey: the key's connections are closed, as Binance closes the stream. */
  void closeKey(String key) {
    for (Set<String> keys : keysByAccount.values()) {
      keys.remove(key);
    }
    Set<WsClient> set = userClients.remove(key);
    if (set != null) {
      for (WsClient c : set) {
        c.listenKeys.remove(key);
        c.close();
      }
    }
  }

  /** Sends listenKeyExpired to the key's connections and stops delivering to them. */
  void expireKey(String key, long now) {
    for (Set<String> keys : keysByAccount.values()) {
      keys.remove(key);
    }
    Set<WsClient> set = userClients.remove(key);
    if (set == null) {
      return;
    }
    String payload =
        new Json()
            .obj()
            .str("e", "listenKeyExpired")
            .num("E", now)
            .str("listenKey", key)
            .end()
            .toString();
    for (WsClient c : set) {
      c.listenKeys.remove(key);
      c.send(key, payload);
    }
  }

  void attach(WsClient c, String listenKey) {
    c.listenKeys.put(listenKey, Boolean.TRUE);
    userClients.computeIfAbsent(listenKey, k -> ConcurrentHashMap.newKeySet()).add(c);
  }

  /** A closed connection stops receiving on its keys. */
  void detach(WsClient c) {
    for (String k : c.listenKeys.keySet()) {
      Set<WsClient> set = userClients.get(k);
      if (set != null) {
        set.remove(c);
      }
    }
  }

  /** Delivers {@code payload} to every connection on one of the account's listenKeys. */
  void publish(String account, String payload) {
    Set<String> keys = keysByAccount.get(account);
    if (keys == null) {
      return;
    }
    for (String k : keys) {
      Set<WsClient> set = userClients.get(k);
      if (set != null) {
        for (WsClient c : set) {
          c.send(k, payload);
        }
      }
    }
  }
}
