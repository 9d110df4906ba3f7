// Third-party client check: drives the Phoenix simulator with an unmodified ccxt (binanceusdm, ccxt.pro).
// Usage (outside the repo): cd /work/scratch/ccxt && npm install ccxt
//   node /path/to/ccxt-check.mjs [http://127.0.0.1:8765]
// Exits 0 when every step passed; prints one line per step.
import { createRequire } from 'module';
const require = createRequire(process.cwd() + '/package.json');
const ccxt = require('ccxt');

const rest = process.argv[2] || 'http://127.0.0.1:8765';
const ws = rest.replace(/^http/, 'ws');
const ex = new ccxt.pro.binanceusdm({
  apiKey: 'phoenix-local-key',
  secret: 'phoenix-local-secret-do-not-use-on-a-real-venue',
  enableRateLimit: false,
  options: { fetchCurrencies: false, warnOnFetchOpenOrdersWithoutSymbol: false },
});
for (const k of ['fapiPublic', 'fapiPrivate']) ex.urls.api[k] = rest + '/fapi/v1';
for (const k of ['fapiPublicV2', 'fapiPrivateV2']) ex.urls.api[k] = rest + '/fapi/v2';
for (const k of ['fapiPublicV3', 'fapiPrivateV3']) ex.urls.api[k] = rest + '/fapi/v3';
ex.urls.api.ws.future = ws + '/ws';
ex.urls.api.ws['ws-api'].future = ws + '/ws-fapi/v1';

// ccxt refuses plain ws:// until its proxy agents are loaded
await ex.loadHttpProxyAgent();

const results = [];
async function step(name, fn) {
  try {
    const detail = await fn();
    results.push([name, true]);
    console.log('PASS', name, detail ?? '');
  } catch (e) {
    results.push([name, false]);
    console.log('FAIL', name, e.constructor.name, (e.message || '').slice(0, 300));
  }
}
function check(cond, msg) { if (!cond) throw new Error(msg); }
function withTimeout(p, ms, what) {
  return Promise.race([p, new Promise((_, rej) => setTimeout(() => rej(new Error('timeout: ' + what)), ms))]);
}

const symbol = 'BTC/USDT:USDT';
let order;
await step('loadMarkets', async () => {
  const m = await ex.loadMarkets();
  check(m[symbol], 'no ' + symbol);
  return `${Object.keys(m).length} markets, tick ${m[symbol].precision.price}`;
});
let book;
await step('fetchOrderBook', async () => {
  book = await ex.fetchOrderBook(symbol, 20);
  check(book.bids.length > 0 && book.asks.length > 0 && book.bids[0][0] < book.asks[0][0], 'empty or crossed book');
  return `bid ${book.bids[0][0]} ask ${book.asks[0][0]} nonce ${book.nonce}`;
});
await step('createOrder', async () => {
  const price = Math.round((book.bids[0][0] - 300) * 10) / 10;
  order = await ex.createOrder(symbol, 'limit', 'buy', 0.01, price, { timeInForce: 'GTX' });
  check(order.id && order.status === 'open', 'status ' + order.status);
  return `id ${order.id} ${order.status} @ ${order.price}`;
});
await step('fetchOrder', async () => {
  const o = await ex.fetchOrder(order.id, symbol);
  check(o.id === order.id && o.status === 'open', 'status ' + o.status);
  return o.status;
});
await step('cancelOrder', async () => {
  const o = await ex.cancelOrder(order.id, symbol);
  check(o.status === 'canceled', 'status ' + o.status);
  return o.status;
});
await step('fetchBalance', async () => {
  const b = await ex.fetchBalance();
  check(b.USDT && b.USDT.total > 0, 'no USDT');
  return `USDT total ${b.USDT.total} free ${b.USDT.free}`;
});
await step('fetchPositions', async () => {
  const p = await ex.fetchPositions([symbol]);
  check(Array.isArray(p), 'not an array');
  return `${p.length} positions`;
});
await step('market order fills and fetchPositions shows it', async () => {
  const m = await ex.createOrder(symbol, 'market', 'buy', 0.01);
  const p = await ex.fetchPositions([symbol]);
  const pos = p.find((x) => x.symbol === symbol);
  check(pos && pos.contracts === 0.01 && pos.side === 'long', 'position ' + JSON.stringify(pos && pos.info));
  await ex.createOrder(symbol, 'market', 'sell', 0.01, undefined, { reduceOnly: true });
  return `order ${m.id} ${m.status}; position ${pos.side} ${pos.contracts} @ ${pos.entryPrice}`;
});
await step('watchOrderBook', async () => {
  let ob;
  for (let i = 0; i < 3; i++) ob = await withTimeout(ex.watchOrderBook(symbol), 10000, 'watchOrderBook');
  check(ob.bids.length > 0 && ob.asks.length > 0 && ob.bids[0][0] < ob.asks[0][0], 'bad book');
  return `bid ${ob.bids[0][0]} ask ${ob.asks[0][0]} nonce ${ob.nonce}`;
});
await step('watchOrders', async () => {
  const watching = withTimeout(ex.watchOrders(symbol), 10000, 'watchOrders');
  await new Promise((r) => setTimeout(r, 500)); // let the user stream connect before the order exists
  const price = Math.round((book.bids[0][0] - 400) * 10) / 10;
  const placed = await ex.createOrder(symbol, 'limit', 'buy', 0.01, price, { timeInForce: 'GTC' });
  const orders = await watching;
  await ex.cancelOrder(placed.id, symbol);
  check(orders.some((o) => o.id === placed.id), 'order not seen on the user stream');
  return `${orders.length} order update(s), first status ${orders[0].status}`;
});
await step('createOrder via WebSocket API (createOrderWs)', async () => {
  const price = Math.round((book.bids[0][0] - 500) * 10) / 10;
  const o = await withTimeout(ex.createOrderWs(symbol, 'limit', 'buy', 0.01, price, { timeInForce: 'GTC' }), 10000, 'createOrderWs');
  check(o.id, 'no id');
  await ex.cancelOrder(o.id, symbol);
  return `id ${o.id} ${o.status}`;
});

await ex.close();
const failed = results.filter((r) => !r[1]).length;
console.log(`${results.length - failed}/${results.length} passed`);
process.exit(failed ? 1 : 0);
