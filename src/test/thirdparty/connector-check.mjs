// Binance's official connector @binance/derivatives-trading-usds-futures (REST, WebSocket API, WebSocket
// streams) against the Phoenix simulator, unmodified: only basePath / wsURL change. HMAC key for REST and
// streams, the local Ed25519 key for a second REST client and for WebSocket API sessions.
// Usage: node connector-check.mjs http://127.0.0.1:PORT ; exit code = number of failed calls.
import { createRequire } from 'module';
import { Checks, check, sleep, setPrice, LOCAL_KEY, LOCAL_SECRET, LOCAL_ED25519_KEY, LOCAL_ED25519_PRIVATE_PEM } from './harness.mjs';

const require = createRequire(process.env.THIRDPARTY_MODULES ? process.env.THIRDPARTY_MODULES + '/' : import.meta.url);
const usdm = require('@binance/derivatives-trading-usds-futures');
import { readFileSync } from 'fs';
const pkg = new URL('node_modules/@binance/derivatives-trading-usds-futures/package.json',
  'file://' + (process.env.THIRDPARTY_MODULES || '.') + '/');
const version = JSON.parse(readFileSync(pkg, 'utf8')).version;

const rest = process.argv[2] || 'http://127.0.0.1:8765';
const ws = rest.replace(/^http/, 'ws');
const quiet = { logger: { level: 'error' } };
const client = new usdm.DerivativesTradingUsdsFutures({
  configurationRestAPI: { apiKey: LOCAL_KEY, apiSecret: LOCAL_SECRET, basePath: rest, retries: 0, timeout: 5000 },
  configurationWebsocketStreams: { wsURL: ws, reconnectDelay: 500 },
});
const edClient = new usdm.DerivativesTradingUsdsFutures({
  configurationRestAPI: { apiKey: LOCAL_ED25519_KEY, privateKey: LOCAL_ED25519_PRIVATE_PEM, basePath: rest, retries: 0, timeout: 5000 },
  configurationWebsocketAPI: { apiKey: LOCAL_ED25519_KEY, privateKey: LOCAL_ED25519_PRIVATE_PEM, wsURL: ws + '/ws-fapi/v1', timeout: 5000 },
});
void quiet;
const c = new Checks('@binance/derivatives-trading-usds-futures ' + version);
const api = client.restAPI;
const data = async (p) => (await p).data();
const S = 'BTCUSDT';

// ---- REST market data
let book;
await c.step('restAPI.exchangeInformation', async () => {
  const d = await data(api.exchangeInformation());
  check(d.symbols.length === 3, 'symbols ' + d.symbols.length);
});
await c.step('restAPI.orderBook', async () => {
  book = await data(api.orderBook({ symbol: S, limit: 5 }));
  check(Number(book.bids[0][0]) < Number(book.asks[0][0]), 'crossed');
});
await c.step('restAPI.klineCandlestickData', async () => {
  const k = await data(api.klineCandlestickData({ symbol: S, interval: '1m', limit: 3 }));
  check(k.length >= 1 && k[0].length === 12, JSON.stringify(k));
  return `${k.length} klines`;
});
await c.step('restAPI.klineCandlestickData 1M', async () => {
  const k = await data(api.klineCandlestickData({ symbol: S, interval: '1M' }));
  check(k.length === 1, JSON.stringify(k));
});
await c.step('restAPI.markPriceKlineCandlestickData', async () => {
  const k = await data(api.markPriceKlineCandlestickData({ symbol: S, interval: '5m' }));
  check(k.length >= 1, 'none');
});
await c.step('restAPI.indexPriceKlineCandlestickData', async () => {
  const k = await data(api.indexPriceKlineCandlestickData({ pair: S, interval: '1h' }));
  check(k.length >= 1, 'none');
});
await c.step('restAPI.continuousContractKlineCandlestickData', async () => {
  const k = await data(api.continuousContractKlineCandlestickData({ pair: S, contractType: 'PERPETUAL', interval: '15m' }));
  check(k.length >= 1, 'none');
});
await c.step('restAPI.symbolPriceTicker', async () => {
  const t = await data(api.symbolPriceTicker({ symbol: S }));
  check(Number(t.price) > 0, JSON.stringify(t));
});
await c.step('restAPI.symbolPriceTickerV2', async () => {
  const t = await data(api.symbolPriceTickerV2({}));
  check(t.length === 3, JSON.stringify(t));
});
await c.step('restAPI.ticker24hrPriceChangeStatistics', async () => {
  const t = await data(api.ticker24hrPriceChangeStatistics({ symbol: S }));
  check(Number(t.lastQty) > 0 && t.firstId >= 1, JSON.stringify(t));
});
await c.step('restAPI.openInterest', async () => {
  const o = await data(api.openInterest({ symbol: S }));
  check(o.openInterest !== undefined, JSON.stringify(o));
});
await c.step('restAPI.oldTradesLookup', async () => {
  const t = await data(api.oldTradesLookup({ symbol: S, limit: 5 }));
  check(t.length === 5, JSON.stringify(t));
});
await c.step('restAPI.getFundingRateInfo', async () => {
  const f = await data(api.getFundingRateInfo());
  check(f.length === 3 && f[0].fundingIntervalHours === 8, JSON.stringify(f));
});
await c.step('restAPI.recentTradesList', async () => {
  const t = await data(api.recentTradesList({ symbol: S, limit: 5 }));
  check(t.length > 0, 'none');
});
await c.step('restAPI.markPrice', async () => {
  const m = await data(api.markPrice({ symbol: S }));
  check(Number(m.markPrice) > 0, JSON.stringify(m));
});

// ---- REST account and orders
await c.step('restAPI.newOrder MARKET', async () => {
  const o = await data(api.newOrder({ symbol: S, side: 'BUY', type: 'MARKET', quantity: 0.01 }));
  check(o.orderId > 0, JSON.stringify(o));
});
let resting;
await c.step('restAPI.newOrder LIMIT and modifyOrder', async () => {
  const px = Math.round((Number(book.bids[0][0]) - 400) * 10) / 10;
  resting = await data(api.newOrder({ symbol: S, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: px }));
  const m = await data(api.modifyOrder({ symbol: S, orderId: resting.orderId, side: 'BUY', quantity: 0.01, price: px - 1 }));
  check(m.status === 'NEW', JSON.stringify(m));
});
await c.step('restAPI.getOrderModifyHistory', async () => {
  const h = await data(api.getOrderModifyHistory({ symbol: S, orderId: resting.orderId }));
  check(h.length === 1 && h[0].amendment.count === 1, JSON.stringify(h));
});
await c.step('restAPI.cancelMultipleOrders', async () => {
  const r = await data(api.cancelMultipleOrders({ symbol: S, orderIdList: [resting.orderId] }));
  check(r[0].status === 'CANCELED', JSON.stringify(r));
});
await c.step('restAPI.allOrders', async () => {
  const o = await data(api.allOrders({ symbol: S }));
  check(o.length >= 2, JSON.stringify(o.length));
  return `${o.length} orders`;
});
await c.step('restAPI.accountTradeList', async () => {
  const t = await data(api.accountTradeList({ symbol: S }));
  check(t.length >= 1, 'none');
});
await c.step('restAPI.getIncomeHistory', async () => {
  const i = await data(api.getIncomeHistory({}));
  check(i.some((x) => x.incomeType === 'COMMISSION'), JSON.stringify(i));
  return `${i.length} records`;
});
await c.step('restAPI.usersForceOrders', async () => {
  const f = await data(api.usersForceOrders({ symbol: S }));
  check(Array.isArray(f), JSON.stringify(f));
});
await c.step('restAPI.positionAdlQuantileEstimation', async () => {
  const a = await data(api.positionAdlQuantileEstimation({ symbol: S }));
  check(a[0].adlQuantile.LONG >= 1, JSON.stringify(a));
});
await c.step('restAPI.positionInformationV3', async () => {
  const p = await data(api.positionInformationV3({ symbol: S }));
  // 0.01 BTC against a 100 000 USDT wallet has no liquidation price (0, as on Binance); maintenance margin it has
  check(Number(p[0].maintMargin) > 0 && p[0].liquidationPrice !== undefined, JSON.stringify(p));
});
await c.step('restAPI.notionalAndLeverageBrackets', async () => {
  const b = await data(api.notionalAndLeverageBrackets({ symbol: S }));
  const brackets = (Array.isArray(b) ? b[0] : b).brackets;
  check(brackets.length >= 2, JSON.stringify(b));
});
await c.step('restAPI.futuresAccountConfiguration', async () => {
  const a = await data(api.futuresAccountConfiguration());
  check(a.canTrade === true, JSON.stringify(a));
});
await c.step('restAPI.futuresTradingQuantitativeRulesIndicators', async () => {
  const a = await data(api.futuresTradingQuantitativeRulesIndicators({}));
  check(a.indicators !== undefined, JSON.stringify(a));
});
await c.step('restAPI.changeMultiAssetsMode / getCurrentMultiAssetsMode', async () => {
  await data(api.changeMultiAssetsMode({ multiAssetsMargin: 'true' }));
  const on = await data(api.getCurrentMultiAssetsMode());
  await data(api.changeMultiAssetsMode({ multiAssetsMargin: 'false' }));
  check(on.multiAssetsMargin === true, JSON.stringify(on));
});
await c.step('restAPI.changeMarginType / modifyIsolatedPositionMargin', async () => {
  await data(api.changeMarginType({ symbol: 'SOLUSDT', marginType: 'ISOLATED' }));
  await data(api.newOrder({ symbol: 'SOLUSDT', side: 'BUY', type: 'MARKET', quantity: 5 }));
  const r = await data(api.modifyIsolatedPositionMargin({ symbol: 'SOLUSDT', amount: 3, type: 1 }));
  await data(api.newOrder({ symbol: 'SOLUSDT', side: 'SELL', type: 'MARKET', quantity: 5, reduceOnly: 'true' }));
  await data(api.changeMarginType({ symbol: 'SOLUSDT', marginType: 'CROSSED' }));
  check(r.code === 200, JSON.stringify(r));
});

// ---- REST Algo Order API
let algo;
await c.step('restAPI.newAlgoOrder STOP_MARKET', async () => {
  const m = Number((await data(api.markPrice({ symbol: S }))).markPrice);
  algo = await data(api.newAlgoOrder({ algoType: 'CONDITIONAL', symbol: S, side: 'SELL', type: 'STOP_MARKET',
    quantity: 0.01, triggerPrice: Math.round(m * 0.99 * 10) / 10, workingType: 'MARK_PRICE', reduceOnly: 'true' }));
  check(algo.algoId > 0 && algo.algoStatus === 'NEW', JSON.stringify(algo));
});
await c.step('restAPI.currentAllAlgoOpenOrders', async () => {
  const o = await data(api.currentAllAlgoOpenOrders({ symbol: S }));
  check(o.some((x) => x.algoId === algo.algoId), JSON.stringify(o));
});
await c.step('restAPI.queryAlgoOrder after the trigger', async () => {
  const m = Number((await data(api.markPrice({ symbol: S }))).markPrice);
  await setPrice(rest, S, Math.round(m * 0.985 * 10) / 10);
  for (let i = 0; i < 50; i++) {
    const q = await data(api.queryAlgoOrder({ algoId: algo.algoId }));
    if (q.algoStatus === 'FINISHED') {
      await setPrice(rest, S, m);
      return `FINISHED, actual order ${q.actualOrderId}`;
    }
    await sleep(200);
  }
  throw new Error('not finished');
});
await c.step('restAPI.cancelAlgoOrder', async () => {
  const a = await data(api.newAlgoOrder({ algoType: 'CONDITIONAL', symbol: S, side: 'BUY', type: 'TAKE_PROFIT',
    quantity: 0.01, price: 1000, triggerPrice: 1000, timeInForce: 'GTC' }));
  const x = await data(api.cancelAlgoOrder({ algoId: a.algoId }));
  check(x.code === '200', JSON.stringify(x));
});
await c.step('restAPI.cancelAllAlgoOpenOrders', async () => {
  await data(api.newAlgoOrder({ algoType: 'CONDITIONAL', symbol: S, side: 'SELL', type: 'TRAILING_STOP_MARKET', quantity: 0.01, callbackRate: 1 }));
  const x = await data(api.cancelAllAlgoOpenOrders({ symbol: S }));
  check(x.code === 200, JSON.stringify(x));
});
await c.step('restAPI.queryAllAlgoOrders', async () => {
  const a = await data(api.queryAllAlgoOrders({ symbol: S }));
  check(a.length >= 3, JSON.stringify(a.length));
});

// ---- REST with an Ed25519 key
await c.step('restAPI (Ed25519 key) futuresAccountBalanceV3', async () => {
  const b = await data(edClient.restAPI.futuresAccountBalanceV3());
  check(b.length >= 1 && b[0].asset === 'USDT', JSON.stringify(b));
});

// ---- WebSocket API with an Ed25519 session
let wsapi;
await c.step('websocketAPI.connect + session.logon (Ed25519)', async () => {
  wsapi = await edClient.websocketAPI.connect();
  const r = await wsapi.websocketBase.sendMessage('session.logon', {}, { isSigned: true, isSessionLogon: true });
  const res = Array.isArray(r) ? r[0] : r;
  check(res.data.apiKey === LOCAL_ED25519_KEY, JSON.stringify(res.data));
});
await c.step('websocketAPI.symbolPriceTicker', async () => {
  const r = await wsapi.symbolPriceTicker({ symbol: S });
  check(Number(r.data.price) > 0, JSON.stringify(r.data));
});
await c.step('websocketAPI.newOrder (session, no signature)', async () => {
  const px = Math.round((Number(book.bids[0][0]) - 600) * 10) / 10;
  const r = await wsapi.newOrder({ symbol: S, side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: 0.01, price: px });
  const q = await wsapi.queryOrder({ symbol: S, orderId: r.data.orderId });
  await wsapi.cancelOrder({ symbol: S, orderId: r.data.orderId });
  check(q.data.status === 'NEW', JSON.stringify(q.data));
});
await c.step('websocketAPI.newAlgoOrder / cancelAlgoOrder', async () => {
  const r = await wsapi.newAlgoOrder({ algoType: 'CONDITIONAL', symbol: S, side: 'SELL', type: 'STOP_MARKET', quantity: 0.01, triggerPrice: 1000 });
  const x = await wsapi.cancelAlgoOrder({ algoId: r.data.algoId });
  check(x.data.algoId === r.data.algoId, JSON.stringify(x.data));
});
await c.step('websocketAPI.positionInformationV2 / futuresAccountBalanceV2', async () => {
  const p = await wsapi.positionInformationV2({});
  const b = await wsapi.futuresAccountBalanceV2({});
  check(Array.isArray(p.data) && b.data.length >= 1, JSON.stringify(b.data));
});
await c.step('websocketAPI session.status / session.logout', async () => {
  const st = await wsapi.websocketBase.sendMessage('session.status', {}, {});
  const out = await wsapi.websocketBase.sendMessage('session.logout', {}, { isSessionLogout: true });
  const res = Array.isArray(out) ? out[0] : out;
  check(st.data.apiKey === LOCAL_ED25519_KEY && res.data.apiKey === null, JSON.stringify([st.data, res.data]));
});

// ---- WebSocket streams
let streams;
function first(stream, pred = () => true) {
  return new Promise((resolve) => stream.on('message', (m) => { if (pred(m)) resolve(m); }));
}
await c.step('websocketStreams.connect', async () => { streams = await client.websocketStreams.connect(); });
const streamChecks = [
  ['klineCandlestickStreams', () => streams.klineCandlestickStreams({ symbol: 'btcusdt', interval: '1m' }), (m) => m.k && m.k.i === '1m'],
  ['continuousContractKlineCandlestickStreams', () => streams.continuousContractKlineCandlestickStreams({ pair: 'btcusdt', contractType: 'perpetual', interval: '1m' }), (m) => m.ps === 'BTCUSDT'],
  ['individualSymbolTickerStreams', () => streams.individualSymbolTickerStreams({ symbol: 'btcusdt' }), (m) => m.e === '24hrTicker'],
  ['individualSymbolMiniTickerStream', () => streams.individualSymbolMiniTickerStream({ symbol: 'btcusdt' }), (m) => m.e === '24hrMiniTicker'],
  ['allMarketTickersStreams', () => streams.allMarketTickersStreams(), (m) => Array.isArray(m) && m.length > 0],
  ['allMarketMiniTickersStream', () => streams.allMarketMiniTickersStream(), (m) => Array.isArray(m) && m.length > 0],
  ['aggregateTradeStreams', () => streams.aggregateTradeStreams({ symbol: 'btcusdt' }), (m) => m.e === 'aggTrade'],
  ['markPriceStream', () => streams.markPriceStream({ symbol: 'btcusdt', updateSpeed: '1s' }), (m) => m.e === 'markPriceUpdate'],
  ['partialBookDepthStreams', () => streams.partialBookDepthStreams({ symbol: 'btcusdt', levels: 5, updateSpeed: '100ms' }), (m) => m.b && m.b.length === 5],
  ['individualSymbolBookTickerStreams', () => streams.individualSymbolBookTickerStreams({ symbol: 'btcusdt' }), (m) => m.e === 'bookTicker'],
];
for (const [name, open, pred] of streamChecks) {
  await c.step(`websocketStreams.${name}`, async () => {
    const m = await first(open(), pred);
    return m.e || (Array.isArray(m) ? `${m.length} symbols` : '');
  });
}
await c.step('websocketStreams.liquidationOrderStreams / contractInfoStream / compositeIndexSymbolInformationStreams subscribe', async () => {
  streams.liquidationOrderStreams({ symbol: 'btcusdt' });
  streams.allMarketLiquidationOrderStreams();
  streams.contractInfoStream();
  streams.compositeIndexSymbolInformationStreams({ symbol: 'btcusdt' });
  await sleep(500);
  check(streams.isConnected(), 'disconnected after subscribing');
});
await c.step('websocketStreams.userData (ORDER_TRADE_UPDATE, ALGO_UPDATE)', async () => {
  const key = (await data(api.startUserDataStream())).listenKey;
  const user = streams.userData(key);
  const seen = [];
  user.on('message', (m) => seen.push(m.e));
  await sleep(500);
  const a = await data(api.newAlgoOrder({ algoType: 'CONDITIONAL', symbol: S, side: 'SELL', type: 'STOP_MARKET', quantity: 0.01, triggerPrice: 1000 }));
  await data(api.cancelAlgoOrder({ algoId: a.algoId }));
  await data(api.newOrder({ symbol: S, side: 'BUY', type: 'MARKET', quantity: 0.01 }));
  for (let i = 0; i < 50 && !(seen.includes('ALGO_UPDATE') && seen.includes('ORDER_TRADE_UPDATE')); i++) await sleep(100);
  check(seen.includes('ALGO_UPDATE') && seen.includes('ORDER_TRADE_UPDATE'), seen.join());
  return [...new Set(seen)].join(',');
});

try { await streams.disconnect(); } catch (e) { /* already closed */ }
try { await wsapi.disconnect(); } catch (e) { /* already closed */ }
process.exit(c.summary());
