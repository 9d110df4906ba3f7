package io.phoenix.backtest;

import io.phoenix.config.QuoterSettings;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.Response;
import io.phoenix.market.OrderBook;
import io.phoenix.market.TopOfBook;
import io.phoenix.model.TimeInForce;
import io.phoenix.quoting.QuoteStrategy;
import java.util.List;

/**
 * Baseline: what a first ccxt market-making bot does. One post-only bid at the best bid and one ask
 * at the best ask; when the touch moves away from an order it is cancelled and, once the cancel is
 * confirmed, placed again at the new touch. No fair value, no fees, no skew; the only guard is the
 * node's soft position limit (a side that could pass {@code phoenix.quoter.max-position-notional}
 * is not quoted) and its order size ({@code level-notional}), so its numbers compare with Phoenix's
 * on the same risk.
 */
public final class JoinTouchStrategy implements Strategy {
  private static final int BID = 0;
  private static final int ASK = 1;

  private final List<Instrument> instruments;
  private final QuoteStrategy[] sizing;
  // per symbol and side: the one order (null: none), its price, whether a cancel is out
  private final String[][] id;
  private final long[][] price;
  private final boolean[][] cancelling;
  private final long[] position;
  private Context ctx;
  private long seq;

  public JoinTouchStrategy(QuoterSettings settings, List<Instrument> instruments) {
    this.instruments = List.copyOf(instruments);
    int size = 0;
    for (Instrument i : instruments) {
      size = Math.max(size, i.id() + 1);
    }
    sizing = new QuoteStrategy[size];
    for (Instrument i : instruments) {
      sizing[i.id()] = new QuoteStrategy(settings, i);
    }
    id = new String[size][2];
    price = new long[size][2];
    cancelling = new boolean[size][2];
    position = new long[size];
  }

  @Override
  public void start(Context context, long now) {
    this.ctx = context;
  }

  @Override
  public void onBook(int symbolId, long now) {
    ctx.requestRequote(symbolId, now);
  }

  @Override
  public void onBookInvalid(int symbolId, long now) {
    pull(symbolId, now);
  }

  @Override
  public void onBookStale(int symbolId, long now) {
    pull(symbolId, now);
  }

  private void pull(int s, long now) {
    for (int side = 0; side < 2; side++) {
      if (id[s][side] != null && !cancelling[s][side]) {
        cancelling[s][side] = true;
        ctx.cancel(s, now, id[s][side]);
      }
    }
  }

  @Override
  public void onMark(int symbolId, long markTicks, double fundingRate, long now) {}

  @Override
  public void onRequote(int s, long now) {
    TopOfBook b = ctx.top(s);
    long bid = b.bestBidPrice();
    long ask = b.bestAskPrice();
    if (bid == OrderBook.NO_PRICE || ask == OrderBook.NO_PRICE || bid <= 0 || ask <= bid) {
      pull(s, now);
      return;
    }
    QuoteStrategy q = sizing[s];
    long limit = q.maxPositionSteps((bid + ask) * 0.5);
    side(s, BID, bid, q.levelSize(0, bid), position[s] + q.levelSize(0, bid) <= limit, now);
    side(s, ASK, ask, q.levelSize(0, ask), -position[s] + q.levelSize(0, ask) <= limit, now);
  }

  private void side(int s, int side, long touch, long qty, boolean allowed, long now) {
    if (id[s][side] != null) {
      if ((!allowed || price[s][side] != touch) && !cancelling[s][side]) {
        cancelling[s][side] = true;
        ctx.cancel(s, now, id[s][side]);
      }
      return;
    }
    if (!allowed || !sizing[s].tradable(touch, qty)) {
      return;
    }
    String cid = "jt-" + s + "-" + (seq++);
    id[s][side] = cid;
    price[s][side] = touch;
    cancelling[s][side] = false;
    ctx.place(s, now, cid, side == BID, touch, qty, TimeInForce.GTX);
  }

  @Override
  public void onResponse(int s, Response r, long now) {
    if (r instanceof Response.Fill f) {
      position[s] += f.buy() ? f.qtySteps() : -f.qtySteps();
      if (!f.open()) {
        done(s, f.clientId(), now);
      }
    } else if (r instanceof Response.Canceled c) {
      done(s, c.clientId(), now);
    } else if (r instanceof Response.Rejected rej
        && (rej.kind() == Response.Kind.PLACE || rej.kind() == Response.Kind.CANCEL)) {
      // a refused place never rested; a refused cancel (-2011) means the order is gone already
      done(s, rej.clientId(), now);
    }
  }

  private void done(int s, String clientId, long now) {
    for (int side = 0; side < 2; side++) {
      if (clientId.equals(id[s][side])) {
        id[s][side] = null;
        cancelling[s][side] = false;
        ctx.requestRequote(s, now);
      }
    }
  }

  @Override
  public void onTimer(long now) {}

  @Override
  public long timerNanos() {
    return 1_000_000_000L;
  }

  /** Signed position of a symbol in steps, for tests. */
  long positionSteps(int symbolId) {
    return position[symbolId];
  }

  List<Instrument> instruments() {
    return instruments;
  }
}
