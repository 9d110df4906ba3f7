package io.phoenix.backtest;

import io.phoenix.config.QuoterSettings;
import io.phoenix.config.RiskSettings;
import io.phoenix.core.Instrument;
import io.phoenix.exchangemodel.Response;
import io.phoenix.execution.ClientOrderIds;
import io.phoenix.market.OrderBook;
import io.phoenix.market.TopOfBook;
import io.phoenix.model.TimeInForce;
import io.phoenix.quoting.QuoterCore;
import io.phoenix.risk.PreTradeResult;
import io.phoenix.risk.RiskEngine;
import io.phoenix.risk.RiskReason;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The node's strategy on virtual time: one {@link QuoterCore} per symbol (fair value, {@code
 * QuoteStrategy}, {@code OrderDiff}, working orders, position) and one {@link RiskEngine}, built
 * from the same settings as the {@code Quoter} and {@code Risk} actors, fed what those actors are
 * fed and answering the way they do:
 *
 * <ul>
 *   <li>a new top of book (from the quoter's own book) and mark prices go to the core, one requote
 *       answers a burst;
 *   <li>each requote's actions pass risk's pre-trade checks in order: approved places (clamped
 *       quantity included) and amends go out as post-only orders, cancels always; a refusal is the
 *       core's rejection, and an order-rate refusal pauses placing;
 *   <li>the exchange's answers and fills update core and risk as the gateway's events and the user
 *       stream do; risk's portfolio check runs after each of them, on mark prices and on its timer,
 *       and a breach stops every quoter and cancels everything, for good (no operator here);
 *   <li>the quoter's tick requotes every {@link io.phoenix.quoting.Quoter#tickInterval}.
 * </ul>
 */
public final class PhoenixStrategy implements Strategy {
  private final QuoterSettings quoterSettings;
  private final List<Instrument> instruments;
  private final RiskEngine risk;
  private final PreTradeResult scratch = new PreTradeResult();
  private final QuoterCore[] cores;
  private final long tickNanos;
  private final long riskCheckNanos;
  private Context ctx;
  private long nextTick;
  private long nextRiskCheck;
  private String stopReason;
  // the venue's fee rates, as the live node reads them from GET /fapi/v1/commissionRate (NaN: none)
  private double venueMakerRate = Double.NaN;
  private double venueTakerRate = Double.NaN;

  /**
   * @param riskCheckInterval {@code phoenix.guardian.risk-check-interval}
   */
  public PhoenixStrategy(
      QuoterSettings quoterSettings,
      RiskSettings riskSettings,
      Duration riskCheckInterval,
      List<Instrument> instruments) {
    this.quoterSettings = quoterSettings;
    this.instruments = List.copyOf(instruments);
    this.risk = new RiskEngine(riskSettings, instruments);
    int size = 0;
    for (Instrument i : instruments) {
      size = Math.max(size, i.id() + 1);
    }
    this.cores = new QuoterCore[size];
    this.tickNanos = io.phoenix.quoting.Quoter.tickInterval(quoterSettings).toNanos();
    this.riskCheckNanos = riskCheckInterval.toNanos();
  }

  /**
   * The exchange model's fee rates: with {@code phoenix.quoter.fees.read-from-exchange} the cores
   * use them as the live quoters use the rates the exchange reports, else the configured ones.
   */
  public PhoenixStrategy venueFees(double makerRate, double takerRate) {
    this.venueMakerRate = makerRate;
    this.venueTakerRate = takerRate;
    return this;
  }

  @Override
  public void start(Context context, long now) {
    this.ctx = context;
    // one id sequence per run, starting from the data's own time: the same input gives the same ids
    ClientOrderIds ids = ClientOrderIds.startingNow("phx", now / 1_000_000);
    for (Instrument i : instruments) {
      cores[i.id()] = new QuoterCore(quoterSettings, i, () -> ids.next(i.id()), true);
      if (quoterSettings.fees().readFromExchange() && !Double.isNaN(venueMakerRate)) {
        cores[i.id()].onFees(venueMakerRate, venueTakerRate);
      }
    }
    nextTick = now + tickNanos;
    nextRiskCheck = now + riskCheckNanos;
  }

  /** The symbol's quoter core (tests and the report read it). */
  public QuoterCore core(int symbolId) {
    return cores[symbolId];
  }

  public RiskEngine risk() {
    return risk;
  }

  private static long price(long ticks) {
    return ticks == OrderBook.NO_PRICE ? 0 : ticks;
  }

  @Override
  public void onBook(int symbolId, long now) {
    TopOfBook b = ctx.top(symbolId);
    cores[symbolId].onTopOfBook(
        price(b.bestBidPrice()), b.bestBidQty(), price(b.bestAskPrice()), b.bestAskQty(), now);
    ctx.requestRequote(symbolId, now);
  }

  @Override
  public void onBookInvalid(int symbolId, long now) {
    cores[symbolId].onBookInvalid();
    ctx.requestRequote(symbolId, now);
  }

  @Override
  public void onBookStale(int symbolId, long now) {
    cores[symbolId].onBookStale();
    ctx.requestRequote(symbolId, now);
  }

  @Override
  public void onMark(int symbolId, long markTicks, double fundingRate, long now) {
    cores[symbolId].onMark(markTicks, fundingRate);
    risk.onMark(symbolId, markTicks, now / 1_000_000);
    checkPortfolio(now);
  }

  @Override
  public void onRequote(int symbolId, long now) {
    QuoterCore core = cores[symbolId];
    int n = core.requote(now);
    long millis = now / 1_000_000;
    for (int i = 0; i < n; i++) {
      String id = core.actionClientId(i);
      switch (core.actionKind(i)) {
        case PLACE -> {
          boolean buy = core.actionBuy(i);
          risk.checkNew(
              id, symbolId, buy, core.actionPrice(i), core.actionQty(i), false, millis, scratch);
          if (!scratch.approved()) {
            core.onRejected(id, 0);
            if (scratch.reason() == RiskReason.ORDER_RATE) {
              core.onOrderRateRefused(now);
            }
            continue;
          }
          if (scratch.qtySteps() != core.actionQty(i)) {
            int slot = core.working().slotOf(id);
            if (slot >= 0) {
              core.working().setOrigQty(slot, scratch.qtySteps());
            }
          }
          ctx.place(
              symbolId, now, id, buy, core.actionPrice(i), scratch.qtySteps(), TimeInForce.GTX);
        }
        case CANCEL -> ctx.cancel(symbolId, now, id);
        case AMEND -> {
          risk.checkAmend(id, core.actionPrice(i), core.actionQty(i), millis, scratch);
          if (scratch.approved()) {
            ctx.amend(symbolId, now, id, core.actionPrice(i), core.actionQty(i));
          }
        }
      }
    }
  }

  @Override
  public void onResponse(int symbolId, Response r, long now) {
    QuoterCore core = cores[symbolId];
    boolean requote = false;
    if (r instanceof Response.Accepted a) {
      core.onAccepted(a.clientId());
      risk.onAccepted(a.clientId());
    } else if (r instanceof Response.Rejected rej) {
      switch (rej.kind()) {
        case PLACE -> {
          core.onRejected(rej.clientId(), rej.code());
          risk.onRejected(rej.clientId(), rej.code());
        }
        case CANCEL -> core.onCancelRejected(rej.clientId(), rej.code(), now);
        case AMEND -> core.onLiveAgain(rej.clientId());
        case CANCEL_ALL -> {}
      }
      requote = true;
    } else if (r instanceof Response.Canceled c) {
      core.onFinished(c.clientId(), c.cumQtySteps(), now);
      risk.onDone(c.clientId());
      requote = true;
    } else if (r instanceof Response.Amended a) {
      core.onAmended(a.clientId(), a.qtySteps());
    } else if (r instanceof Response.Fill f) {
      long fill =
          core.onOrderUpdate(
              f.clientId(),
              f.buy(),
              f.open(),
              f.cumQtySteps(),
              f.qtySteps(),
              f.priceTicks(),
              f.commission(),
              now);
      risk.onFill(f.clientId(), symbolId, f.buy(), f.qtySteps(), f.priceTicks(), f.commission());
      if (!f.open()) {
        risk.onDone(f.clientId());
      }
      requote = fill != 0 || !f.open();
    } else if (r instanceof Response.Funding f) {
      risk.onFunding(f.amount());
    }
    if (requote) {
      ctx.requestRequote(symbolId, now);
    }
    checkPortfolio(now);
  }

  @Override
  public void onTimer(long now) {
    if (now >= nextTick) {
      nextTick = now + tickNanos;
      for (Instrument i : instruments) {
        ctx.requestRequote(i.id(), now);
      }
    }
    if (now >= nextRiskCheck) {
      nextRiskCheck = now + riskCheckNanos;
      checkPortfolio(now);
    }
  }

  @Override
  public long timerNanos() {
    return Math.min(tickNanos, riskCheckNanos);
  }

  private void checkPortfolio(long now) {
    RiskReason breach = risk.checkPortfolio(now / 1_000_000);
    if (breach == RiskReason.NONE) {
      return;
    }
    stopReason = breach + ": " + risk.tripDetail();
    // as the Risk actor's kill switch: every quoter stops and pulls, and a cancel-all per symbol
    for (Instrument i : instruments) {
      cores[i.id()].stop();
      onRequote(i.id(), now);
      ctx.cancelAll(i.id(), now);
    }
  }

  @Override
  public String stopReason() {
    return stopReason;
  }

  @Override
  public Map<String, Long> refusals() {
    Map<String, Long> out = new TreeMap<>();
    for (RiskReason reason : RiskReason.values()) {
      long n = risk.rejectedCount(reason);
      if (n > 0) {
        out.put(reason.name(), n);
      }
    }
    return out;
  }
}
