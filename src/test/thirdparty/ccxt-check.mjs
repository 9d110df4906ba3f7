// ccxt (binanceusdm, REST and ccxt.pro WebSocket) against the Phoenix simulator, unmodified: only the
// base URLs change. Usage: node ccxt-check.mjs http://127.0.0.1:PORT  (run.sh installs ccxt and starts
// the simulator). One line per ccxt call; exit code = number of failed calls.
import { createRequire } from 'module';
import { Checks, check, sleep, setPrice, LOCAL_KEY, LOCAL_SECRET } from './harness.mjs';

const require = createRequire(process.env.THIRDPARTY_MODULES ? process.env.THIRDPARTY_MODULES + '/' : import.meta.url);
const ccxt = require('ccxt');

const rest = process.argv[2] || 'http://127.0.0.1:8765';
const ws = rest.replace(/^http/, 'ws');
const ex = new ccxt.pro.binanceusdm({
  apiKey: LOCAL_KEY,
  secret: LOCAL_SECRET,
  enableRateLimit: false,
  options: { fetchCurrencies: false, warnOnFetchOpenOrdersWithoutSymbol: false },
});
for (const k of ['fapiPublic', 'fapiPrivate', 'fapiData']) ex.urls.api[k] = rest + '/fapi/v1';
for (const k of ['fapiPublicV2', 'fapiPrivateV2']) ex.urls.api[k] = rest + '/fapi/v2';
for (const k of ['fapiPublicV3', 'fapiPrivateV3']) ex.urls.api[k] = rest + '/fapi/v3';
ex.urls.api.ws.future = ws + '/ws';
ex.urls.api.ws['ws-api'].future = ws + '/ws-fapi/v1';
await ex.loadHttpProxyAgent(); // ccxt refuses plain ws:// until its proxy agents are loaded

const c = new Checks('ccxt ' + ccxt.version);
const S = 'BTC/USDT:USDT';
const SOL = 'SOL/USDT:USDT';
let book;
const round1 = (x) => Math.round(x * 10) / 10;

// ---- public REST
await c.step('loadMarkets', async () => {
  const m = await ex.loadMarkets();
  check(m[S] && m[SOL], 'markets missing');
  return `${Object.keys(m).length} markets`;
});
await c.step('fetchTime', async () => {
  const t = await ex.fetchTime();
  check(Math.abs(t - Date.now()) < 5000, 'clock ' + t);
});
await c.step('fetchOrderBook', async () => {
  book = await ex.fetchOrderBook(S, 20);
  check(book.bids[0][0] < book.asks[0][0], 'crossed');
  return `bid ${book.bids[0][0]} ask ${book.asks[0][0]}`;
});
await c.step('fetchTicker', async () => {
  const t = await ex.fetchTicker(S);
  check(t.last > 0 && t.baseVolume >= 0, JSON.stringify(t.info));
  return `last ${t.last}`;
});
await c.step('fetchTickers', async () => {
  const t = await ex.fetchTickers();
  check(Object.keys(t).length === 3, Object.keys(t).join());
});
await c.step('fetchLastPrices', async () => {
  const p = await ex.fetchLastPrices();
  check(p[S] && p[S].price > 0, JSON.stringify(p));
  return `${Object.keys(p).length} prices`;
});
await c.step('fetchBidsAsks', async () => {
  const t = await ex.fetchBidsAsks([S]);
  check(t[S].bid > 0 && t[S].ask > t[S].bid, JSON.stringify(t[S]));
});
await c.step('fetchTrades', async () => {
  const t = await ex.fetchTrades(S, undefined, 10);
  check(t.length > 0 && t[0].price > 0, 'no trades');
  return `${t.length} trades`;
});
for (const tf of ['1m', '1h', '1d', '1w', '1M']) {
  await c.step(`fetchOHLCV ${tf}`, async () => {
    const k = await ex.fetchOHLCV(S, tf, undefined, 5);
    check(k.length >= 1 && k[k.length - 1][4] > 0, JSON.stringify(k));
    return `${k.length} candles, close ${k[k.length - 1][4]}`;
  });
}
for (const price of ['mark', 'index']) {
  await c.step(`fetchOHLCV price=${price}`, async () => {
    const k = await ex.fetchOHLCV(S, '1m', undefined, 5, { price });
    check(k.length >= 1 && k[0][1] > 0, JSON.stringify(k));
  });
}
await c.step('fetchMarkPrice', async () => {
  const t = await ex.fetchMarkPrice(S);
  check(t.markPrice > 0, JSON.stringify(t.info));
});
await c.step('fetchFundingRate', async () => {
  const f = await ex.fetchFundingRate(S);
  check(f.fundingRate !== undefined && f.markPrice > 0, JSON.stringify(f.info));
});
await c.step('fetchFundingRates', async () => {
  const f = await ex.fetchFundingRates();
  check(Object.keys(f).length === 3, Object.keys(f).join());
});
await c.step('fetchFundingRateHistory', async () => {
  const f = await ex.fetchFundingRateHistory(S);
  check(Array.isArray(f), 'not an array');
  return `${f.length} records`;
});
await c.step('fetchFundingIntervals', async () => {
  const f = await ex.fetchFundingIntervals();
  check(f[S] && f[S].interval, JSON.stringify(f));
  return f[S].interval;
});
await c.step('fetchOpenInterest', async () => {
  const o = await ex.fetchOpenInterest(S);
  check(o.openInterestAmount !== undefined, JSON.stringify(o.info));
});

// ---- account
await c.step('fetchBalance', async () => {
  const b = await ex.fetchBalance();
  check(b.USDT.total > 0, 'no USDT');
  return `USDT ${b.USDT.total}`;
});
await c.step('fetchTradingFee', async () => {
  const f = await ex.fetchTradingFee(S);
  check(f.maker === 0.0002 && f.taker === 0.0005, JSON.stringify(f));
});
await c.step('fetchLeverageTiers', async () => {
  const t = await ex.fetchLeverageTiers([S]);
  check(t[S].length >= 2 && t[S][0].maintenanceMarginRate === 0.004, JSON.stringify(t[S][0]));
  return `${t[S].length} tiers`;
});
await c.step('setLeverage', async () => {
  const r = await ex.setLeverage(10, S);
  check(r.leverage === 10 || r.info?.leverage === 10 || r.leverage === '10', JSON.stringify(r));
});
await c.step('fetchLeverage', async () => {
  const l = await ex.fetchLeverage(S);
  check(l.longLeverage === 10, JSON.stringify(l));
});
await c.step('setMarginMode isolated', async () => { await ex.setMarginMode('isolated', SOL); });
await c.step('fetchMarginMode', async () => {
  const m = await ex.fetchMarginMode(SOL);
  check(m.marginMode === 'isolated', JSON.stringify(m));
});
await c.step('setPositionMode hedged and back', async () => {
  await ex.setPositionMode(true);
  const m = await ex.fetchPositionMode();
  check(m.hedged === true, JSON.stringify(m));
  await ex.setPositionMode(false);
});

// ---- orders
let open;
await c.step('createOrder limit GTX', async () => {
  open = await ex.createOrder(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 300), { timeInForce: 'GTX' });
  check(open.status === 'open', open.status);
  return `id ${open.id}`;
});
await c.step('editOrder', async () => {
  const e = await ex.editOrder(open.id, S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 310));
  check(e.price === round1(book.bids[0][0] - 310), JSON.stringify(e.info));
});
await c.step('fetchOrder', async () => {
  const o = await ex.fetchOrder(open.id, S);
  check(o.status === 'open', o.status);
});
await c.step('fetchOpenOrders', async () => {
  const o = await ex.fetchOpenOrders(S);
  check(o.some((x) => x.id === open.id), 'not listed');
});
await c.step('cancelOrder', async () => {
  const o = await ex.cancelOrder(open.id, S);
  check(o.status === 'canceled', o.status);
});
await c.step('cancelOrders (orderidlist)', async () => {
  const a = await ex.createOrder(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 400));
  const b = await ex.createOrder(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 401));
  const r = await ex.cancelOrders([a.id, b.id], S);
  check(r.length === 2 && r.every((x) => x.status === 'canceled'), JSON.stringify(r.map((x) => x.info)));
});
await c.step('cancelAllOrders', async () => {
  await ex.createOrder(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 402));
  await ex.cancelAllOrders(S);
  check((await ex.fetchOpenOrders(S)).length === 0, 'orders left');
});
let filled;
await c.step('createOrder market and fetchPositions', async () => {
  filled = await ex.createOrder(S, 'market', 'buy', 0.01);
  const p = (await ex.fetchPositions([S])).find((x) => x.symbol === S);
  check(p && p.contracts === 0.01 && p.side === 'long', JSON.stringify(p && p.info));
  // 0.01 BTC against a 100 000 USDT wallet has no liquidation price (Binance shows 0 too)
  check(Number(p.info.maintMargin) > 0, 'no maintenance margin: ' + JSON.stringify(p.info));
  return `entry ${p.entryPrice} liq ${p.liquidationPrice} maint ${p.maintenanceMargin}`;
});
await c.step('fetchMyTrades', async () => {
  const t = await ex.fetchMyTrades(S);
  check(t.some((x) => x.order === filled.id), 'fill missing');
});
await c.step('fetchOrders', async () => {
  const o = await ex.fetchOrders(S);
  check(o.some((x) => x.id === filled.id && x.status === 'closed'), 'order missing');
  return `${o.length} orders`;
});
await c.step('fetchClosedOrders', async () => {
  const o = await ex.fetchClosedOrders(S);
  check(o.some((x) => x.id === filled.id), 'order missing');
});
await c.step('fetchCanceledOrders', async () => {
  const o = await ex.fetchCanceledOrders(S);
  check(o.some((x) => x.id === open.id), 'canceled order missing');
});
await c.step('fetchLedger', async () => {
  const l = await ex.fetchLedger('USDT');
  check(l.some((x) => x.info.incomeType === 'COMMISSION'), JSON.stringify(l.map((x) => x.info.incomeType)));
  return `${l.length} entries`;
});
await c.step('fetchFundingHistory', async () => {
  const f = await ex.fetchFundingHistory(S);
  check(Array.isArray(f), 'not an array');
});
await c.step('fetchMyLiquidations', async () => {
  const l = await ex.fetchMyLiquidations(S);
  check(Array.isArray(l) && l.length === 0, JSON.stringify(l));
});

// ---- conditional orders (Algo Order API)
const mark = async () => (await ex.fetchMarkPrice(S)).markPrice;
let stop;
await c.step('createOrder stopLossPrice (STOP_MARKET algo)', async () => {
  const m = await mark();
  stop = await ex.createOrder(S, 'market', 'sell', 0.01, undefined, { stopLossPrice: round1(m * 0.99), reduceOnly: true, workingType: 'MARK_PRICE' });
  check(stop.id && stop.info.algoId, JSON.stringify(stop.info));
  return `algo ${stop.id} ${stop.info.orderType} ${stop.info.algoStatus}`;
});
await c.step('fetchOpenOrders trigger', async () => {
  const o = await ex.fetchOpenOrders(S, undefined, undefined, { trigger: true });
  check(o.some((x) => x.id === stop.id), JSON.stringify(o.map((x) => x.info)));
});
await c.step('fetchOrder trigger', async () => {
  const o = await ex.fetchOrder(stop.id, S, { trigger: true });
  check(o.id === stop.id && o.status === 'open', JSON.stringify(o.info));
});
await c.step('stop fires and closes the position', async () => {
  const m = await mark();
  await setPrice(rest, 'BTCUSDT', round1(m * 0.985));
  for (let i = 0; i < 50; i++) {
    const p = (await ex.fetchPositions([S])).find((x) => x.symbol === S);
    if (!p || !p.contracts) {
      const o = await ex.fetchOrder(stop.id, S, { trigger: true });
      await setPrice(rest, 'BTCUSDT', m);
      return `algo ${o.info.algoStatus}, actual order ${o.info.actualOrderId}`;
    }
    await sleep(200);
  }
  throw new Error('position still open');
});
await c.step('createOrder takeProfitPrice limit (TAKE_PROFIT algo) and cancelOrder trigger', async () => {
  const m = await mark();
  const tp = await ex.createOrder(S, 'limit', 'sell', 0.01, round1(m * 1.02), { takeProfitPrice: round1(m * 1.02) });
  check(tp.info.orderType === 'TAKE_PROFIT', JSON.stringify(tp.info));
  const x = await ex.cancelOrder(tp.id, S, { trigger: true });
  check(x.id === tp.id, JSON.stringify(x.info));
});
await c.step('createOrder trailingPercent (TRAILING_STOP_MARKET algo)', async () => {
  const t = await ex.createOrder(S, 'market', 'sell', 0.01, undefined, { trailingPercent: 1 });
  check(t.info.orderType === 'TRAILING_STOP_MARKET', JSON.stringify(t.info));
  await ex.cancelOrder(t.id, S, { trigger: true });
});
await c.step('fetchOrders trigger', async () => {
  const o = await ex.fetchOrders(S, undefined, undefined, { trigger: true });
  check(o.length >= 3, 'algo orders ' + o.length);
  return o.map((x) => x.info.algoStatus).join(',');
});

// ---- isolated margin
await c.step('addMargin / reduceMargin', async () => {
  await ex.createOrder(SOL, 'market', 'buy', 10);
  const a = await ex.addMargin(SOL, 5);
  check(a.amount === 5 && a.type === 'add', JSON.stringify(a));
  const r = await ex.reduceMargin(SOL, 2);
  check(r.type === 'reduce', JSON.stringify(r));
  await ex.createOrder(SOL, 'market', 'sell', 10, undefined, { reduceOnly: true });
  await ex.setMarginMode('cross', SOL);
});

// ---- WebSocket streams
await c.step('watchOrderBook', async () => {
  let ob;
  for (let i = 0; i < 3; i++) ob = await ex.watchOrderBook(S);
  check(ob.bids[0][0] < ob.asks[0][0], 'bad book');
});
await c.step('watchTrades', async () => {
  const t = await ex.watchTrades(S);
  check(t.length > 0 && t[0].price > 0, 'no trades');
});
await c.step('watchTicker', async () => {
  const t = await ex.watchTicker(S);
  check(t.last > 0, JSON.stringify(t.info));
});
await c.step('watchTickers', async () => {
  const t = await ex.watchTickers([S]);
  check(t[S] && t[S].last > 0, JSON.stringify(Object.keys(t)));
});
await c.step('watchOHLCV', async () => {
  const k = await ex.watchOHLCV(S, '1m');
  check(k.length > 0 && k[k.length - 1][4] > 0, JSON.stringify(k));
});
await c.step('watchBidsAsks', async () => {
  const t = await ex.watchBidsAsks([S]);
  check(t[S] && t[S].bid > 0, JSON.stringify(t));
});
await c.step('watchMarkPrice', async () => {
  const t = await ex.watchMarkPrice(S);
  check(t.markPrice > 0, JSON.stringify(t.info));
});
await c.step('watchOrders', async () => {
  const watching = ex.watchOrders(S);
  await sleep(500);
  const o = await ex.createOrder(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 450));
  const seen = await watching;
  await ex.cancelOrder(o.id, S);
  check(seen.some((x) => x.id === o.id), 'not seen');
});
await c.step('watchBalance', async () => {
  const watching = ex.watchBalance();
  await sleep(300);
  const o = await ex.createOrder(S, 'market', 'buy', 0.01);
  const b = await watching;
  await ex.createOrder(S, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
  check(b.USDT && b.USDT.total > 0, JSON.stringify(b.info));
  return `order ${o.id}`;
});
await c.step('watchPositions', async () => {
  const watching = ex.watchPositions([S]);
  await sleep(300);
  await ex.createOrder(S, 'market', 'buy', 0.01);
  const p = await watching;
  await ex.createOrder(S, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
  check(p.length > 0, 'no positions');
});
await c.step('watchMyTrades', async () => {
  const watching = ex.watchMyTrades(S);
  await sleep(300);
  await ex.createOrder(S, 'market', 'buy', 0.01);
  const t = await watching;
  await ex.createOrder(S, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
  check(t.length > 0 && t[0].price > 0, 'no trades');
});

// ---- WebSocket API
let wsOrder;
await c.step('createOrderWs', async () => {
  wsOrder = await ex.createOrderWs(S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 500), { timeInForce: 'GTC' });
  check(wsOrder.id, 'no id');
});
await c.step('editOrderWs', async () => {
  const e = await ex.editOrderWs(wsOrder.id, S, 'limit', 'buy', 0.01, round1(book.bids[0][0] - 501));
  check(e.price === round1(book.bids[0][0] - 501), JSON.stringify(e.info));
});
await c.step('fetchOrderWs', async () => {
  const o = await ex.fetchOrderWs(wsOrder.id, S);
  check(o.status === 'open', o.status);
});
await c.step('cancelOrderWs', async () => {
  const o = await ex.cancelOrderWs(wsOrder.id, S);
  check(o.status === 'canceled', o.status);
});
await c.step('fetchBalanceWs', async () => {
  const b = await ex.fetchBalanceWs();
  check(b.USDT && b.USDT.total > 0, 'no USDT');
});
await c.step('fetchPositionsWs', async () => {
  const p = await ex.fetchPositionsWs([S]);
  check(Array.isArray(p), 'not an array');
});

await ex.close();
process.exit(c.summary());
