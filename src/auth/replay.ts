// Replay guard: each (nonce, nc) is accepted once and nc must grow per nonce (RFC 7616 §3.4's
// nonce-count). The in-memory guard is a fixed-size open-addressed table of
// (64-bit nonce hash, highest nc, expiry); memory never grows. When a full probe window forces out a
// live entry, its expiry raises a watermark: an unknown nonce that expires no later than the
// watermark might be one that was forced out, so it is refused (the client gets a fresh challenge).
// Thus a replay is never accepted; overload only costs extra challenges.

export interface ReplayGuard {
  /**
   * Records a use of `nc` with `nonce` and says whether it is new: true when no earlier use of this
   * nonce had an nc as high. `expiresAtSeconds` is when the nonce stops being valid (the entry may be
   * dropped after it); `nowSeconds` the current time. Implementations backed by a shared store
   * (Redis) return a promise.
   */
  admit(nonce: string, nc: number, expiresAtSeconds: number, nowSeconds: number): boolean | Promise<boolean>;
}

export interface MemoryReplayGuardOptions {
  /** Number of slots, rounded up to a power of two (16 bytes each). Default 2^20 (16 MiB). */
  slots?: number;
}

/** Slots examined per lookup (two 64-byte cache lines). */
const WINDOW = 8;
/** Words per slot: hash high, hash low, highest nc, expiry seconds (0 = empty). */
const STRIDE = 4;

export class MemoryReplayGuard implements ReplayGuard {
  readonly slots: number;
  readonly #table: Uint32Array;
  readonly #mask: number;
  #watermark = 0;
  #evictions = 0;

  constructor(options: MemoryReplayGuardOptions = {}) {
    const wanted = Math.max(WINDOW, Math.min(options.slots ?? 1 << 20, 1 << 28));
    let slots = WINDOW;
    while (slots < wanted) slots *= 2;
    this.slots = slots;
    this.#mask = slots - 1;
    this.#table = new Uint32Array(slots * STRIDE);
  }

  /** Bytes held by the table (fixed at construction). */
  get bytes(): number {
    return this.#table.byteLength;
  }

  /** Live entries forced out so far (each one raised the watermark). */
  get evictions(): number {
    return this.#evictions;
  }

  admit(nonce: string, nc: number, expiresAtSeconds: number, nowSeconds: number): boolean {
    if (!(expiresAtSeconds > nowSeconds) || !(nc >= 1 && nc <= 0xffffffff)) return false;
    const expiry = Math.min(Math.ceil(expiresAtSeconds), 0xffffffff) >>> 0;
    // Two independent 32-bit FNV-1a style hashes of the nonce text, two characters (16-bit code
    // units) per step: half the steps of the dependent multiply chains. A multiply only carries
    // upwards, so hi is folded once at the end to make its low half depend on every character.
    const n = nonce.length;
    let hi = 0x811c9dc5;
    let lo = 0x01000193 ^ n;
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const c = nonce.charCodeAt(i) | (nonce.charCodeAt(i + 1) << 16);
      hi = Math.imul(hi ^ c, 0x01000193);
      lo = Math.imul(lo ^ c, 0x5bd1e995);
      lo ^= lo >>> 15;
    }
    if (i < n) {
      const c = nonce.charCodeAt(i);
      hi = Math.imul(hi ^ c, 0x01000193);
      lo = Math.imul(lo ^ c, 0x5bd1e995);
      lo ^= lo >>> 15;
    }
    hi = (hi ^ (hi >>> 16)) >>> 0;
    lo >>>= 0;

    const table = this.#table;
    const start = (lo ^ (hi >>> 7)) & this.#mask;
    let free = -1;
    let oldest = -1;
    let oldestExpiry = 0xffffffff;
    for (let k = 0; k < WINDOW; k++) {
      const at = ((start + k) & this.#mask) * STRIDE;
      const slotExpiry = table[at + 3];
      if (slotExpiry === 0 || slotExpiry <= nowSeconds) {
        if (free < 0) free = at;
        continue;
      }
      if (table[at] === hi && table[at + 1] === lo) {
        if (nc <= table[at + 2]) return false;
        table[at + 2] = nc;
        if (expiry > slotExpiry) table[at + 3] = expiry;
        return true;
      }
      if (slotExpiry < oldestExpiry) {
        oldestExpiry = slotExpiry;
        oldest = at;
      }
    }
    if (expiry <= this.#watermark) return false;
    if (free < 0) {
      // Window full of live entries. Refuse a nonce that expires no later than all of them;
      // otherwise force out the one expiring first and remember its expiry.
      if (expiry <= oldestExpiry) return false;
      free = oldest;
      this.#evictions++;
      if (oldestExpiry > this.#watermark) this.#watermark = oldestExpiry;
    }
    table[free] = hi;
    table[free + 1] = lo;
    table[free + 2] = nc;
    table[free + 3] = expiry;
    return true;
  }
}
