// Per-source request-rate limit ("pike"): a token bucket per source address in a fixed-size
// table, keyed by the socket's source address. The caller checks requests before parsing, so a
// flood costs one hash and a few float operations per datagram; responses (they start with "SIP/")
// only when a worker would relay them to its siblings. Pure: time is an argument (ms).
// When the table is full, the source seen least recently in the colliding set is forgotten; a
// flooding source is always recent, so it keeps its (empty) bucket.
import { BoundedKeyTable } from './bounded-table.ts';

export interface RateLimitOptions {
  /** Sustained messages per second allowed per source. */
  ratePerSecond: number;
  /** Bucket size: messages a quiet source may send at once. */
  burst: number;
  /** Sources tracked at once (default 65,536; memory is allocated up front). */
  capacity?: number;
  /** Hash seed for the table (tests only). */
  seed?: number;
}

/**
 * Defaults sized for a trunk-facing edge: a busy PBX sends a few hundred messages a second at most,
 * a scanner thousands. Operators tune them by environment (see src/config.ts).
 */
export const DEFAULT_RATE_LIMIT: Readonly<Required<Omit<RateLimitOptions, 'seed'>>> = {
  ratePerSecond: 200,
  burst: 400,
  capacity: 65_536,
};

/**
 * The key a source is limited (and banned) under: an IPv4 address as is (IPv4-mapped IPv6 folded
 * to it), an IPv6 address by its /64, since one host may rotate through its whole /64. Expects
 * the socket's address text (Node's compressed form, optionally with a %zone).
 */
export function sourceKey(address: string): string {
  if (!address.includes(':')) return address;
  const zone = address.indexOf('%');
  const ip = (zone >= 0 ? address.slice(0, zone) : address).toLowerCase();
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  const gap = ip.indexOf('::');
  const head = gap >= 0 ? ip.slice(0, gap) : ip;
  const groups = head === '' ? [] : head.split(':');
  if (gap >= 0) {
    const tail = ip.slice(gap + 2);
    const tailCount = tail === '' ? 0 : tail.split(':').length;
    // Only the first four groups matter: pad with the zeros "::" stands for, then the tail.
    for (let i = groups.length; i < 8 - tailCount && groups.length < 4; i++) groups.push('0');
    if (groups.length < 4 && tail !== '') groups.push(...tail.split(':'));
  }
  const prefix = groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, ''));
  while (prefix.length < 4) prefix.push('0');
  return `${prefix.join(':')}::/64`;
}

export class SourceRateLimiter {
  private readonly table: BoundedKeyTable;
  private readonly tokens: Float64Array;
  private readonly perMs: number;
  private readonly burst: number;

  constructor(options: RateLimitOptions) {
    if (!(options.ratePerSecond > 0) || !(options.burst >= 1)) {
      throw new RangeError('rate limit needs ratePerSecond > 0 and burst >= 1');
    }
    this.table = new BoundedKeyTable({ capacity: options.capacity ?? 65_536, seed: options.seed });
    this.tokens = new Float64Array(this.table.capacity);
    this.perMs = options.ratePerSecond / 1000;
    this.burst = options.burst;
  }

  /** Take one token for source at time nowMs; false means drop the message. */
  allow(source: string, nowMs: number): boolean {
    const table = this.table;
    const slot = table.claim(source);
    let tokens: number;
    if (table.claimedNew) {
      tokens = this.burst;
      table.score[slot] = nowMs;
    } else {
      tokens = this.tokens[slot]!;
      const elapsed = nowMs - table.score[slot]!;
      // A clock step backwards refills nothing and leaves the last-seen time where it was.
      if (elapsed > 0) {
        tokens = Math.min(this.burst, tokens + elapsed * this.perMs);
        table.score[slot] = nowMs;
      }
    }
    if (tokens >= 1) {
      this.tokens[slot] = tokens - 1;
      return true;
    }
    this.tokens[slot] = tokens;
    return false;
  }

  /** Sources currently tracked (never above capacity). */
  get size(): number {
    return this.table.size;
  }

  get capacity(): number {
    return this.table.capacity;
  }
}
