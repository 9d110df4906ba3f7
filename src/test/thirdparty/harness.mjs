// Shared by the third-party checks: named steps, a result table and the process exit code.
// A step passes when its function returns (its value is printed), fails when it throws.
export const LOCAL_KEY = 'phoenix-local-key';
export const LOCAL_SECRET = 'phoenix-local-secret-do-not-use-on-a-real-venue';
export const LOCAL_ED25519_KEY = 'phoenix-local-ed25519-key';
// The documented local Ed25519 key (README); its public half is in reference.conf. Never use it on a venue.
export const LOCAL_ED25519_PRIVATE_PEM =
  '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHKzJRmCPtSvbCHRIVS3EaUBhMO4BpL4YrnpNOBWAN6Y\n-----END PRIVATE KEY-----\n';

export class Checks {
  constructor(client) {
    this.client = client;
    this.results = [];
  }

  async step(call, fn) {
    const t0 = Date.now();
    try {
      const detail = await withTimeout(fn(), 20000, call);
      this.results.push({ call, ok: true });
      console.log(`PASS ${this.client} ${call}${detail === undefined ? '' : ' — ' + detail} (${Date.now() - t0} ms)`);
    } catch (e) {
      this.results.push({ call, ok: false });
      const msg = (e && (e.message || String(e))) || 'error';
      console.log(`FAIL ${this.client} ${call} — ${e && e.constructor ? e.constructor.name : ''}: ${msg.slice(0, 400)}`);
    }
  }

  summary() {
    const failed = this.results.filter((r) => !r.ok).length;
    console.log(`${this.client}: ${this.results.length - failed} passed, ${failed} failed`);
    return failed;
  }
}

export function check(cond, msg) {
  if (!cond) throw new Error(msg);
}

export function withTimeout(p, ms, what) {
  let timer;
  return Promise.race([
    Promise.resolve(p).finally(() => clearTimeout(timer)),
    new Promise((_, rej) => { timer = setTimeout(() => rej(new Error('timeout after ' + ms + ' ms: ' + what)), ms); }),
  ]);
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Moves the simulator's fair value (admin hook), to trigger stops without waiting for the market. */
export async function setPrice(rest, symbol, price) {
  const r = await fetch(rest + '/sim/admin/price', {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ symbol, price: String(price) }),
  });
  if (r.status !== 200) throw new Error('admin price ' + r.status + ' ' + (await r.text()));
}
