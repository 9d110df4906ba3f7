package io.phoenix.sim;

import io.phoenix.core.Instrument;
import io.phoenix.sim.engine.BookTop;
import io.phoenix.sim.engine.DepthSnapshot;
import io.phoenix.sim.engine.MarkInfo;
import io.phoenix.sim.engine.PublicTrade;
import io.phoenix.sim.engine.Side;
import io.phoenix.sim.engine.SimBalance;
import io.phoenix.sim.engine.SimExchange;
import io.phoenix.sim.engine.SimFill;
import io.phoenix.sim.engine.SimListener;
import io.phoenix.sim.engine.SimOrder;
import io.phoenix.sim.engine.SimPosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns engine callbacks into stream events and fans them out to WebSocket clients. The listener
 * methods and the {@code flush*} methods run on the engine thread; subscription changes come from
 * connection threads (hence the concurrent maps). Diff depth is aggregated per symbol and per
 * speed (100/250/500 ms) with {@code pu} = the previous emitted {@code u} of that speed.
 */
final class StreamHub implements SimListener {
  static final long[] SPEEDS = {100, 250, 500};
  private static final String[] SPEED_SUFFIX = {"@depth@100ms", "@depth", "@depth@500ms"};
  private static final int[] PARTIAL_LEVELS = {5, 10, 20};
  private static final String ALL_BOOK_TICKER = "!bookticker";
  private static final String ALL_MARK_3S = "!markprice@arr";
  private static final String ALL_MARK_1S = "!markprice@arr@1s";

  private final Wire wire;
  private final Map<String, Set<WsClient>> subscribers = new ConcurrentHashMap<>();
  private final Map<String, Set<WsClient>> userClients = new ConcurrentHashMap<>();
  private final Set<WsClient> clients = ConcurrentHashMap.newKeySet();
  private final Map<String, SymbolState> symbols = new HashMap<>();
  private final List<Runnable> deferred = new ArrayList<>();
  private final Map<String, Boolean> pendingGaps = new ConcurrentHashMap<>();
  private SimExchange exchange;

  /** Engine-thread state of one symbol. */
  private static final class SymbolState {
    final String symbol;
    final String lower;
    final DiffAgg[] diffs = new DiffAgg[SPEEDS.length];
    final String[] diffNames = new String[SPEEDS.length];
    final String[][] partialNames = new String[SPEEDS.length][PARTIAL_LEVELS.length];
    final long[][] partialLastU = new long[SPEEDS.length][PARTIAL_LEVELS.length];
    final long[] nextFlush = new long[SPEEDS.length];
    final String bookTicker;
    final String aggTrade;
    final String mark3s;
    final String mark1s;
    boolean bookDirty;
    BookTop lastTop;

    SymbolState(String symbol) {
      this.symbol = symbol;
      this.lower = symbol.toLowerCase(Locale.ROOT);
      for (int i = 0; i < SPEEDS.length; i++) {
        diffs[i] = new DiffAgg();
        diffNames[i] = lower + SPEED_SUFFIX[i];
        for (int k = 0; k < PARTIAL_LEVELS.length; k++) {
          String speed = i == 1 ? "" : "@" + SPEEDS[i] + "ms";
          partialNames[i][k] = lower + "@depth" + PARTIAL_LEVELS[k] + speed;
          partialLastU[i][k] = -1;
        }
      }
      bookTicker = lower + "@bookticker";
      aggTrade = lower + "@aggtrade";
      mark3s = lower + "@markprice";
      mark1s = lower + "@markprice@1s";
    }
  }

  /** Changes since the last emission on one speed; latest quantity per price wins. */
  private static final class DiffAgg {
    long first = -1;
    long last = -1;
    long prevEmitted = -1;
    long lastTime;
    boolean gap;
    final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    final TreeMap<Long, Long> asks = new TreeMap<>();
  }

  StreamHub(Wire wire) {
    this.wire = wire;
    for (String s : wire.instruments().keySet()) {
      symbols.put(s, new SymbolState(s));
    }
  }

  void attach(SimExchange exchange) {
    this.exchange = exchange;
  }

  // ---- stream names ----

  /** Canonical (lower-case) name of a supported market stream, or null. */
  String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals(ALL_BOOK_TICKER) || n.equals(ALL_MARK_3S) || n.equals(ALL_MARK_1S)) {
      return n;
    }
    int at = n.indexOf('@');
    if (at <= 0) {
      return null;
    }
    SymbolState st = symbols.get(n.substring(0, at).toUpperCase(Locale.ROOT));
    if (st == null) {
      return null;
    }
    for (int i = 0; i < SPEEDS.length; i++) {
      if (n.equals(st.diffNames[i])) {
        return n;
      }
      for (int k = 0; k < PARTIAL_LEVELS.length; k++) {
        if (n.equals(st.partialNames[i][k])) {
          return n;
        }
      }
    }
    if (n.equals(st.lower + "@depth@250ms")) {
      return st.diffNames[1];
    }
    if (n.equals(st.bookTicker) || n.equals(st.aggTrade) || n.equals(st.mark3s) || n.equals(st.mark1s)) {
      return n;
    }
    return null;
  }

  void register(WsClient c) {
    clients.add(c);
  }

  void unregister(WsClient c) {
    clients.remove(c);
    for (String s : c.streams.keySet()) {
      Set<WsClient> set = subscribers.get(s);
      if (set != null) {
        set.remove(c);
      }
    }
    for (String k : c.listenKeys.keySet()) {
      Set<WsClient> set = userClients.get(k);
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

  void attachUser(WsClient c, String listenKey) {
    c.listenKeys.put(listenKey, Boolean.TRUE);
    userClients.computeIfAbsent(listenKey, k -> ConcurrentHashMap.newKeySet()).add(c);
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

  void requestGap(String symbol) {
    pendingGaps.put(symbol, Boolean.TRUE);
  }

  private boolean hasSubscribers(String name) {
    Set<WsClient> set = subscribers.get(name);
    return set != null && !set.isEmpty();
  }

  private void publish(String name, String payload) {
    Set<WsClient> set = subscribers.get(name);
    if (set == null) {
      return;
    }
    for (WsClient c : set) {
      c.send(name, payload);
    }
  }

  // ---- engine callbacks (engine thread) ----

  @Override
  public void onLevelChanged(String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time) {
    SymbolState st = symbols.get(symbol);
    if (st == null) {
      return;
    }
    for (DiffAgg agg : st.diffs) {
      if (agg.first < 0) {
        agg.first = updateId;
      }
      agg.last = updateId;
      agg.lastTime = time;
      (bookSide == Side.BUY ? agg.bids : agg.asks).put(priceTicks, qtySteps);
    }
    st.bookDirty = true;
  }

  @Override
  public void onPublicTrade(String symbol, PublicTrade t) {
    SymbolState st = symbols.get(symbol);
    if (st == null || !hasSubscribers(st.aggTrade)) {
      return;
    }
    String q = wire.qty(symbol, t.qtySteps());
    publish(st.aggTrade, new Json().obj().str("e", "aggTrade").num("E", t.time()).str("s", symbol)
        .num("a", t.aggTradeId()).str("p", wire.price(symbol, t.priceTicks())).str("q", q).str("nq", q)
        .num("f", t.tradeId()).num("l", t.tradeId()).num("T", t.time()).bool("m", t.buyerMaker()).end().toString());
  }

  @Override
  public void onMarkPrice(MarkInfo mark) {
    // mark events are emitted on their own 1 s / 3 s cadence from flushMarks
  }

  @Override
  public void onOrderUpdate(String account, String executionType, SimOrder order, SimFill fill, long time) {
    deferred.add(() -> {
      double bids = 0;
      double asks = 0;
      Instrument in = wire.instruments().get(order.symbol());
      for (SimOrder o : exchange.openOrders(account, order.symbol())) {
        double n = in.notional(o.priceTicks(), o.origQtySteps() - o.executedQtySteps());
        if (o.side() == Side.BUY) {
          bids += n;
        } else {
          asks += n;
        }
      }
      if (fill != null) {
        publishUser(account, wire.tradeLite(order, fill, time));
      }
      publishUser(account, wire.orderTradeUpdate(executionType, order, fill, time, bids, asks));
    });
  }

  @Override
  public void onAccountUpdate(String account, String reason, List<SimBalance> balances, List<SimPosition> positions, long time) {
    String payload = wire.accountUpdate(reason, balances, positions, time);
    deferred.add(() -> publishUser(account, payload));
  }

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
    String payload = new Json().obj().str("e", "listenKeyExpired").num("E", now).str("listenKey", key).end().toString();
    for (WsClient c : set) {
      c.listenKeys.remove(key);
      c.send(key, payload);
    }
  }

  /** A user-stream event produced by the server itself (e.g. ACCOUNT_CONFIG_UPDATE), delivered after the task. */
  void deferUser(String account, String payload) {
    deferred.add(() -> publishUser(account, payload));
  }

  private void publishUser(String account, String payload) {
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

  // ---- flushing (engine thread) ----

  /** After every engine task: user events (in engine order), then changed book tops. */
  void afterTask(long now) {
    if (!deferred.isEmpty()) {
      List<Runnable> batch = new ArrayList<>(deferred);
      deferred.clear();
      for (Runnable r : batch) {
        r.run();
      }
    }
    for (SymbolState st : symbols.values()) {
      if (!st.bookDirty) {
        continue;
      }
      st.bookDirty = false;
      if (!hasSubscribers(st.bookTicker) && !hasSubscribers(ALL_BOOK_TICKER)) {
        continue;
      }
      BookTop top = exchange.bookTop(st.symbol);
      BookTop last = st.lastTop;
      if (last != null && last.bidPriceTicks() == top.bidPriceTicks() && last.bidQtySteps() == top.bidQtySteps()
          && last.askPriceTicks() == top.askPriceTicks() && last.askQtySteps() == top.askQtySteps()) {
        continue;
      }
      st.lastTop = top;
      String payload = new Json().obj().str("e", "bookTicker").num("u", top.updateId()).num("E", now)
          .num("T", top.time()).str("s", st.symbol).str("b", wire.price(st.symbol, top.bidPriceTicks()))
          .str("B", wire.qty(st.symbol, top.bidQtySteps())).str("a", wire.price(st.symbol, top.askPriceTicks()))
          .str("A", wire.qty(st.symbol, top.askQtySteps())).end().toString();
      publish(st.bookTicker, payload);
      publish(ALL_BOOK_TICKER, payload);
    }
  }

  /** Emits the diff and partial depth events whose interval has elapsed. */
  void flushDepth(long now) {
    for (SymbolState st : symbols.values()) {
      if (pendingGaps.remove(st.symbol) != null) {
        for (DiffAgg agg : st.diffs) {
          agg.gap = true;
        }
      }
      for (int i = 0; i < SPEEDS.length; i++) {
        if (now < st.nextFlush[i]) {
          continue;
        }
        st.nextFlush[i] = now - Math.floorMod(now, SPEEDS[i]) + SPEEDS[i];
        DiffAgg agg = st.diffs[i];
        long firstOfEvent = agg.first;
        if (agg.first >= 0) {
          if (agg.gap) {
            // a lost event: the next one's pu will not match what clients saw
            agg.gap = false;
          } else if (hasSubscribers(st.diffNames[i])) {
            publish(st.diffNames[i], diffEvent(st.symbol, agg, now));
          }
          agg.prevEmitted = agg.last;
          agg.first = -1;
          agg.bids.clear();
          agg.asks.clear();
        }
        for (int k = 0; k < PARTIAL_LEVELS.length; k++) {
          String name = st.partialNames[i][k];
          if (!hasSubscribers(name)) {
            continue;
          }
          DepthSnapshot d = exchange.depth(st.symbol, PARTIAL_LEVELS[k]);
          long prevU = st.partialLastU[i][k];
          if (d.lastUpdateId() == prevU) {
            continue;
          }
          Json j = new Json().obj().str("e", "depthUpdate").num("E", now).num("T", d.transactionTime())
              .str("s", st.symbol).num("U", firstOfEvent >= 0 ? firstOfEvent : d.lastUpdateId())
              .num("u", d.lastUpdateId()).num("pu", prevU < 0 ? d.lastUpdateId() : prevU);
          wire.levels(j, "b", st.symbol, d.bids());
          wire.levels(j, "a", st.symbol, d.asks());
          st.partialLastU[i][k] = d.lastUpdateId();
          publish(name, j.end().toString());
        }
      }
    }
  }

  private String diffEvent(String symbol, DiffAgg agg, long now) {
    Json j = new Json().obj().str("e", "depthUpdate").num("E", now).num("T", agg.lastTime).str("s", symbol)
        .num("U", agg.first).num("u", agg.last).num("pu", agg.prevEmitted < 0 ? agg.first - 1 : agg.prevEmitted);
    Instrument in = wire.instruments().get(symbol);
    j.arr("b");
    agg.bids.forEach((p, q) -> j.arr().str(in.price().format(p)).str(in.quantity().format(q)).endArr());
    j.endArr().arr("a");
    agg.asks.forEach((p, q) -> j.arr().str(in.price().format(p)).str(in.quantity().format(q)).endArr());
    return j.endArr().end().toString();
  }

  /** Mark price events: {@code @markPrice@1s} every second, {@code @markPrice} every third; also the {@code !markPrice@arr} forms. */
  void flushMarks(long now, boolean threeSecond) {
    boolean all1 = hasSubscribers(ALL_MARK_1S);
    boolean all3 = threeSecond && hasSubscribers(ALL_MARK_3S);
    StringBuilder arr = all1 || all3 ? new StringBuilder("[") : null;
    for (SymbolState st : symbols.values()) {
      boolean one = hasSubscribers(st.mark1s);
      boolean three = threeSecond && hasSubscribers(st.mark3s);
      if (!one && !three && arr == null) {
        continue;
      }
      MarkInfo m = exchange.mark(st.symbol);
      String p = wire.price(st.symbol, m.markPriceTicks());
      String payload = new Json().obj().str("e", "markPriceUpdate").num("E", now).str("s", st.symbol).str("p", p)
          .str("ap", p).str("i", wire.price(st.symbol, m.indexPriceTicks())).str("P", p)
          .str("r", Json.dec(m.fundingRate(), 8)).num("T", m.nextFundingTime()).end().toString();
      if (one) {
        publish(st.mark1s, payload);
      }
      if (three) {
        publish(st.mark3s, payload);
      }
      if (arr != null) {
        arr.append(arr.length() > 1 ? "," : "").append(payload);
      }
    }
    if (arr != null) {
      String all = arr.append(']').toString();
      if (all1) {
        publish(ALL_MARK_1S, all);
      }
      if (all3) {
        publish(ALL_MARK_3S, all);
      }
    }
  }
}
