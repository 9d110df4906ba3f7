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
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns engine callbacks into stream events and fans them out to WebSocket clients. The listener
 * methods and the {@code flush*} methods run on the engine thread; subscription changes come from
 * connection threads (hence the concurrent maps). Diff depth is aggregated per symbol and per speed
 * (100/250/500 ms) with {@code pu} = the previous emitted {@code u} of that speed.
 *
 * <p>Who listens is kept apart: {@link StreamSubscriptions} for market streams, {@link UserStreams}
 * for listenKeys; per-symbol stream state is in {@link SymbolStreams}.
 */
final class StreamHub implements SimListener {
  private static final String ALL_BOOK_TICKER = "!bookticker";
  private static final String ALL_MARK_3S = "!markprice@arr";
  private static final String ALL_MARK_1S = "!markprice@arr@1s";
  private static final String ALL_TICKER = "!ticker@arr";
  private static final String ALL_MINI_TICKER = "!miniticker@arr";
  private static final String ALL_FORCE_ORDER = "!forceorder@arr";

  /** Listing, settlement and bracket changes: none happen in the simulator, so it stays silent. */
  private static final String CONTRACT_INFO = "!contractinfo";

  private final Wire wire;
  private final StreamSubscriptions market = new StreamSubscriptions();
  private final UserStreams users = new UserStreams();
  private final Map<String, SymbolStreams> symbols = new HashMap<>();
  private final List<Runnable> deferred = new ArrayList<>();
  private final Map<String, Boolean> pendingGaps = new ConcurrentHashMap<>();
  private final ReactionMeter reaction = new ReactionMeter();
  private final KlineStreams klines;
  private final KlineStreams.Publisher klinePublisher =
      new KlineStreams.Publisher() {
        @Override
        public boolean hasSubscribers(String name) {
          return StreamHub.this.hasSubscribers(name);
        }

        @Override
        public void publish(String name, String payload) {
          StreamHub.this.publish(name, payload);
        }
      };

  /**
   * The API key whose request the engine is running, or null (the timer): a top change it causes is
   * its own.
   */
  private String requester;

  private SimExchange exchange;

  StreamHub(Wire wire) {
    this.wire = wire;
    this.klines = new KlineStreams(wire);
    for (String s : wire.instruments().keySet()) {
      symbols.put(s, new SymbolStreams(s));
    }
  }

  void attach(SimExchange exchange) {
    this.exchange = exchange;
  }

  ReactionMeter reaction() {
    return reaction;
  }

  /** Engine thread: the key of the request whose task runs next, null for the timer's work. */
  void requester(String apiKey) {
    this.requester = apiKey;
  }

  // ---- stream names ----

  private long lastTickerSecond = -1;

  /**
   * Canonical name of a supported market stream, or null: lower case, except a kline interval,
   * where {@code 1M} (month) and {@code 1m} (minute) differ.
   */
  String canonical(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.equals(ALL_BOOK_TICKER)
        || n.equals(ALL_MARK_3S)
        || n.equals(ALL_MARK_1S)
        || n.equals(ALL_TICKER)
        || n.equals(ALL_MINI_TICKER)
        || n.equals(ALL_FORCE_ORDER)
        || n.equals(CONTRACT_INFO)) {
      return n;
    }
    if (KlineStreams.isKline(n)) {
      return klines.canonical(n, name, symbols::containsKey);
    }
    int at = n.indexOf('@');
    if (at <= 0) {
      return null;
    }
    SymbolStreams st = symbols.get(n.substring(0, at).toUpperCase(Locale.ROOT));
    if (st == null) {
      return null;
    }
    for (int i = 0; i < SymbolStreams.SPEEDS.length; i++) {
      if (n.equals(st.diffNames[i])) {
        return n;
      }
      for (int k = 0; k < SymbolStreams.PARTIAL_LEVELS.length; k++) {
        if (n.equals(st.partialNames[i][k])) {
          return n;
        }
      }
    }
    if (n.equals(st.lower + "@depth@250ms")) {
      return st.diffNames[1];
    }
    if (n.equals(st.bookTicker)
        || n.equals(st.aggTrade)
        || n.equals(st.mark3s)
        || n.equals(st.mark1s)
        || n.equals(st.trade)
        || n.equals(st.ticker)
        || n.equals(st.miniTicker)
        || n.equals(st.forceOrder)
        || n.equals(st.compositeIndex)) {
      return n;
    }
    return null;
  }

  void register(WsClient c) {
    market.register(c);
  }

  void unregister(WsClient c) {
    market.unregister(c);
    users.detach(c);
  }

  void subscribe(WsClient c, String canonical, String asWritten) {
    market.subscribe(c, canonical, asWritten);
  }

  void unsubscribe(WsClient c, String canonical) {
    market.unsubscribe(c, canonical);
  }

  void attachUser(WsClient c, String listenKey) {
    users.attach(c, listenKey);
  }

  /** Closes every connection (fault injection). */
  void dropAll() {
    market.dropAll();
  }

  int clientCount() {
    return market.clientCount();
  }

  void requestGap(String symbol) {
    pendingGaps.put(symbol, Boolean.TRUE);
  }

  private boolean hasSubscribers(String name) {
    return market.hasSubscribers(name);
  }

  private void publish(String name, String payload) {
    market.publish(name, payload);
  }

  // ---- engine callbacks (engine thread) ----

  @Override
  public void onLevelChanged(
      String symbol, long updateId, Side bookSide, long priceTicks, long qtySteps, long time) {
    SymbolStreams st = symbols.get(symbol);
    if (st == null) {
      return;
    }
    for (SymbolStreams.DiffAgg agg : st.diffs) {
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
    SymbolStreams st = symbols.get(symbol);
    if (st == null) {
      return;
    }
    String q = wire.qty(symbol, t.qtySteps());
    if (hasSubscribers(st.trade)) {
      publish(
          st.trade,
          new Json()
              .obj()
              .str("e", "trade")
              .num("E", t.time())
              .num("T", t.time())
              .str("s", symbol)
              .num("t", t.tradeId())
              .str("p", wire.price(symbol, t.priceTicks()))
              .str("q", q)
              .str("X", "MARKET")
              .bool("m", t.buyerMaker())
              .end()
              .toString());
    }
    if (!hasSubscribers(st.aggTrade)) {
      return;
    }
    publish(
        st.aggTrade,
        new Json()
            .obj()
            .str("e", "aggTrade")
            .num("E", t.time())
            .str("s", symbol)
            .num("a", t.aggTradeId())
            .str("p", wire.price(symbol, t.priceTicks()))
            .str("q", q)
            .str("nq", q)
            .num("f", t.tradeId())
            .num("l", t.tradeId())
            .num("T", t.time())
            .bool("m", t.buyerMaker())
            .end()
            .toString());
  }

  @Override
  public void onMarkPrice(MarkInfo mark) {
    // mark events are emitted on their own 1 s / 3 s cadence from flushMarks
  }

  @Override
  public void onOrderUpdate(
      String account, String executionType, SimOrder order, SimFill fill, long time) {
    deferred.add(
        () -> {
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
          if (fill != null && !"CALCULATED".equals(executionType)) {
            users.publish(account, wire.tradeLite(order, fill, time));
          }
          users.publish(
              account, wire.orderTradeUpdate(executionType, order, fill, time, bids, asks));
        });
  }

  @Override
  public void onAccountUpdate(
      String account,
      String reason,
      List<SimBalance> balances,
      List<SimPosition> positions,
      long time) {
    String payload = wire.accountUpdate(reason, balances, positions, time);
    deferred.add(() -> users.publish(account, payload));
  }

  @Override
  public void onAlgoUpdate(String account, io.phoenix.sim.engine.SimAlgoOrder algo, long time) {
    String payload = wire.algoUpdate(algo, time);
    deferred.add(() -> users.publish(account, payload));
  }

  @Override
  public void onForceOrder(String symbol, io.phoenix.sim.engine.SimOrder order, long time) {
    SymbolStreams st = symbols.get(symbol);
    if (st != null
        && (st.pendingForce == null || order.origQtySteps() > st.pendingForce.origQtySteps())) {
      st.pendingForce = order;
    }
  }

  void bindKey(String account, String key) {
    users.bindKey(account, key);
  }

  /** DELETE listenKey: the key's connections are closed, as Binance closes the stream. */
  void closeKey(String key) {
    users.closeKey(key);
  }

  /** Sends listenKeyExpired to the key's connections and stops delivering to them. */
  void expireKey(String key, long now) {
    users.expireKey(key, now);
  }

  /**
   * A user-stream event produced by the server itself (e.g. ACCOUNT_CONFIG_UPDATE), delivered after
   * the task.
   */
  void deferUser(String account, String payload) {
    deferred.add(() -> users.publish(account, payload));
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
    for (SymbolStreams st : symbols.values()) {
      if (!st.bookDirty) {
        continue;
      }
      st.bookDirty = false;
      boolean tickerTaken = hasSubscribers(st.bookTicker) || hasSubscribers(ALL_BOOK_TICKER);
      BookTop top = exchange.bookTop(st.symbol);
      if (!sameTop(st.meterTop, top)) {
        st.meterTop = top;
        if (tickerTaken) {
          st.meterPending = false;
          reaction.topChanged(st.symbol, requester, System.nanoTime());
        } else {
          st.meterPending = true;
          st.meterCause = requester;
        }
      }
      if (!tickerTaken) {
        continue;
      }
      BookTop last = st.lastTop;
      if (sameTop(last, top)) {
        continue;
      }
      st.lastTop = top;
      String payload =
          new Json()
              .obj()
              .str("e", "bookTicker")
              .num("u", top.updateId())
              .num("E", now)
              .num("T", top.time())
              .str("s", st.symbol)
              .str("b", wire.price(st.symbol, top.bidPriceTicks()))
              .str("B", wire.qty(st.symbol, top.bidQtySteps()))
              .str("a", wire.price(st.symbol, top.askPriceTicks()))
              .str("A", wire.qty(st.symbol, top.askQtySteps()))
              .end()
              .toString();
      publish(st.bookTicker, payload);
      publish(ALL_BOOK_TICKER, payload);
    }
  }

  private static boolean sameTop(BookTop a, BookTop b) {
    return a != null
        && a.bidPriceTicks() == b.bidPriceTicks()
        && a.bidQtySteps() == b.bidQtySteps()
        && a.askPriceTicks() == b.askPriceTicks()
        && a.askQtySteps() == b.askQtySteps();
  }

  /**
   * A depth event of {@code st} went out: it carries a top change nobody saw on the book ticker.
   */
  private void depthPublished(SymbolStreams st) {
    if (st.meterPending) {
      st.meterPending = false;
      reaction.topChanged(st.symbol, st.meterCause, System.nanoTime());
    }
  }

  /** Emits the diff and partial depth events whose interval has elapsed. */
  void flushDepth(long now) {
    for (SymbolStreams st : symbols.values()) {
      if (pendingGaps.remove(st.symbol) != null) {
        for (SymbolStreams.DiffAgg agg : st.diffs) {
          agg.gap = true;
        }
      }
      for (int i = 0; i < SymbolStreams.SPEEDS.length; i++) {
        if (now < st.nextFlush[i]) {
          continue;
        }
        st.nextFlush[i] =
            now - Math.floorMod(now, SymbolStreams.SPEEDS[i]) + SymbolStreams.SPEEDS[i];
        SymbolStreams.DiffAgg agg = st.diffs[i];
        long firstOfEvent = agg.first;
        if (agg.first >= 0) {
          if (agg.gap) {
            // a lost event: the next one's pu will not match what clients saw
            agg.gap = false;
          } else if (hasSubscribers(st.diffNames[i])) {
            publish(st.diffNames[i], diffEvent(st.symbol, agg, now));
            depthPublished(st);
          }
          agg.prevEmitted = agg.last;
          agg.first = -1;
          agg.bids.clear();
          agg.asks.clear();
        }
        for (int k = 0; k < SymbolStreams.PARTIAL_LEVELS.length; k++) {
          String name = st.partialNames[i][k];
          if (!hasSubscribers(name)) {
            continue;
          }
          DepthSnapshot d = exchange.depth(st.symbol, SymbolStreams.PARTIAL_LEVELS[k]);
          long prevU = st.partialLastU[i][k];
          if (d.lastUpdateId() == prevU) {
            continue;
          }
          Json j =
              new Json()
                  .obj()
                  .str("e", "depthUpdate")
                  .num("E", now)
                  .num("T", d.transactionTime())
                  .str("s", st.symbol)
                  .num("U", firstOfEvent >= 0 ? firstOfEvent : d.lastUpdateId())
                  .num("u", d.lastUpdateId())
                  .num("pu", prevU < 0 ? d.lastUpdateId() : prevU);
          wire.levels(j, "b", st.symbol, d.bids());
          wire.levels(j, "a", st.symbol, d.asks());
          st.partialLastU[i][k] = d.lastUpdateId();
          publish(name, j.end().toString());
          depthPublished(st);
        }
      }
    }
  }

  private String diffEvent(String symbol, SymbolStreams.DiffAgg agg, long now) {
    Json j =
        new Json()
            .obj()
            .str("e", "depthUpdate")
            .num("E", now)
            .num("T", agg.lastTime)
            .str("s", symbol)
            .num("U", agg.first)
            .num("u", agg.last)
            .num("pu", agg.prevEmitted < 0 ? agg.first - 1 : agg.prevEmitted);
    Instrument in = wire.instruments().get(symbol);
    j.arr("b");
    agg.bids.forEach(
        (p, q) -> j.arr().str(in.price().format(p)).str(in.quantity().format(q)).endArr());
    j.endArr().arr("a");
    agg.asks.forEach(
        (p, q) -> j.arr().str(in.price().format(p)).str(in.quantity().format(q)).endArr());
    return j.endArr().end().toString();
  }

  /** Kline streams, every {@value KlineStreams#PUSH_MILLIS} ms (see {@link KlineStreams}). */
  void flushKlines(long now) {
    klines.flush(now, exchange, klinePublisher);
  }

  /**
   * Once a second: liquidations (the largest of the past second per symbol), the ticker arrays
   * (symbols whose ticker changed) and, every other second, the individual tickers.
   */
  void flushSecond(long now) {
    long second = now / 1000;
    if (second == lastTickerSecond) {
      return;
    }
    lastTickerSecond = second;
    boolean individual = second % 2 == 0;
    boolean all = hasSubscribers(ALL_TICKER);
    boolean allMini = hasSubscribers(ALL_MINI_TICKER);
    StringBuilder tickers = all ? new StringBuilder("[") : null;
    StringBuilder minis = allMini ? new StringBuilder("[") : null;
    for (SymbolStreams st : symbols.values()) {
      if (st.pendingForce != null) {
        String payload = wire.forceOrder(st.pendingForce, now);
        st.pendingForce = null;
        publish(st.forceOrder, payload);
        publish(ALL_FORCE_ORDER, payload);
      }
      boolean one = individual && hasSubscribers(st.ticker);
      boolean oneMini = individual && hasSubscribers(st.miniTicker);
      if (!one && !oneMini && tickers == null && minis == null) {
        continue;
      }
      io.phoenix.sim.engine.Ticker24h t = exchange.ticker24h(st.symbol);
      boolean changed = t.lastId() != st.arraySeenTradeId;
      st.arraySeenTradeId = t.lastId();
      String ticker = tickerEvent(st.symbol, t, now);
      String mini = miniTickerEvent(st.symbol, t, now);
      if (one) {
        publish(st.ticker, ticker);
      }
      if (oneMini) {
        publish(st.miniTicker, mini);
      }
      if (changed && tickers != null) {
        tickers.append(tickers.length() > 1 ? "," : "").append(ticker);
      }
      if (changed && minis != null) {
        minis.append(minis.length() > 1 ? "," : "").append(mini);
      }
    }
    if (tickers != null && tickers.length() > 1) {
      publish(ALL_TICKER, tickers.append(']').toString());
    }
    if (minis != null && minis.length() > 1) {
      publish(ALL_MINI_TICKER, minis.append(']').toString());
    }
  }

  private String tickerEvent(String s, io.phoenix.sim.engine.Ticker24h t, long now) {
    Instrument in = wire.instruments().get(s);
    double open = in.price().toDouble(t.open());
    double last = in.price().toDouble(t.last());
    double vol = in.quantity().toDouble(t.volumeSteps());
    return new Json()
        .obj()
        .str("e", "24hrTicker")
        .num("E", now)
        .str("s", s)
        .str("p", Json.dec(last - open, in.price().decimals()))
        .str("P", Json.dec(open == 0 ? 0 : (last - open) / open * 100, 3))
        .str("w", wire.avg(s, vol == 0 ? last : t.quoteVolume() / vol))
        .str("c", wire.price(s, t.last()))
        .str("Q", wire.qty(s, t.lastQtySteps()))
        .str("o", wire.price(s, t.open()))
        .str("h", wire.price(s, t.high()))
        .str("l", wire.price(s, t.low()))
        .str("v", wire.qty(s, t.volumeSteps()))
        .str("q", Json.dec(t.quoteVolume(), 2))
        .num("O", t.openTime())
        .num("C", t.closeTime())
        .num("F", t.firstId())
        .num("L", t.lastId())
        .num("n", t.count())
        .end()
        .toString();
  }

  private String miniTickerEvent(String s, io.phoenix.sim.engine.Ticker24h t, long now) {
    return new Json()
        .obj()
        .str("e", "24hrMiniTicker")
        .num("E", now)
        .str("s", s)
        .str("c", wire.price(s, t.last()))
        .str("o", wire.price(s, t.open()))
        .str("h", wire.price(s, t.high()))
        .str("l", wire.price(s, t.low()))
        .str("v", wire.qty(s, t.volumeSteps()))
        .str("q", Json.dec(t.quoteVolume(), 2))
        .end()
        .toString();
  }

  /**
   * Mark price events: {@code @markPrice@1s} every second, {@code @markPrice} every third; also the
   * {@code !markPrice@arr} forms.
   */
  void flushMarks(long now, boolean threeSecond) {
    boolean all1 = hasSubscribers(ALL_MARK_1S);
    boolean all3 = threeSecond && hasSubscribers(ALL_MARK_3S);
    StringBuilder arr = all1 || all3 ? new StringBuilder("[") : null;
    for (SymbolStreams st : symbols.values()) {
      boolean one = hasSubscribers(st.mark1s);
      boolean three = threeSecond && hasSubscribers(st.mark3s);
      if (!one && !three && arr == null) {
        continue;
      }
      MarkInfo m = exchange.mark(st.symbol);
      String p = wire.price(st.symbol, m.markPriceTicks());
      String payload =
          new Json()
              .obj()
              .str("e", "markPriceUpdate")
              .num("E", now)
              .str("s", st.symbol)
              .str("p", p)
              .str("ap", p)
              .str("i", wire.price(st.symbol, m.indexPriceTicks()))
              .str("P", p)
              .str("r", Json.dec(m.fundingRate(), 8))
              .num("T", m.nextFundingTime())
              .end()
              .toString();
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
