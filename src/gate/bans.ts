// Ban after repeated auth failures ("htable-ban"): N failures within a window from one source
// address bans that address; M failures within a window for one username, from any sources, bans
// that username. Bans expire by themselves. Everything lives in fixed-size tables, so a scanner
// rotating addresses or usernames cannot grow memory. Pure: `now` is an argument, in epoch
// milliseconds (Date.now()) so that a ban's `until` means the same on every node sharing bans.
//
// Sharing: BanTable is the local fast path (synchronous, no I/O). A SharedBanList (e.g. Redis
// pub/sub, written elsewhere) carries bans between nodes; shareBans() wires one to the other.
import { BoundedKeyTable } from './bounded-table.ts';

export type BanKind = 'ip' | 'user';

export interface Ban {
  kind: BanKind;
  /** Source address, or username lowercased. */
  key: string;
  /** Epoch ms when the ban ends. */
  until: number;
}

export interface BanOptions {
  /** Failures from one source address within windowMs that ban it. */
  threshold: number;
  windowMs: number;
  /** Ban duration. */
  banMs: number;
  /** Failures for one username (any sources) within userWindowMs that ban it; 0 disables. */
  userThreshold?: number;
  userWindowMs?: number;
  /** Sources / usernames whose recent failures are tracked (each; default 16,384). */
  capacity?: number;
  /** Bans held at once (default 16,384); when full, the ban ending soonest gives way. */
  banCapacity?: number;
  seed?: number;
}

/** Defaults: 10 failures a minute from one address, 30 in five minutes for one username; 10-minute bans. */
export const DEFAULT_BANS: Readonly<Required<Omit<BanOptions, 'seed'>>> = {
  threshold: 10,
  windowMs: 60_000,
  banMs: 600_000,
  userThreshold: 30,
  userWindowMs: 300_000,
  capacity: 16_384,
  banCapacity: 16_384,
};

/** Usernames longer than this are cut for ban keys (SPEC usernames are at most 32). */
const MAX_USERNAME_KEY = 64;
const MAX_THRESHOLD = 100;

function userKey(username: string): string {
  return username.slice(0, MAX_USERNAME_KEY).toLowerCase();
}

/** Last `threshold` failure times per key, in one ring per slot of a bounded table. */
class FailureWindow {
  private readonly table: BoundedKeyTable;
  private readonly times: Float64Array;
  private readonly head: Uint16Array;
  private readonly count: Uint16Array;
  private readonly threshold: number;
  private readonly windowMs: number;

  constructor(threshold: number, windowMs: number, capacity: number, seed: number | undefined) {
    this.table = new BoundedKeyTable({ capacity, seed });
    this.threshold = threshold;
    this.windowMs = windowMs;
    this.times = new Float64Array(this.table.capacity * threshold);
    this.head = new Uint16Array(this.table.capacity);
    this.count = new Uint16Array(this.table.capacity);
  }

  /** Record a failure; true when it is the threshold-th within the window (the key is reset). */
  record(key: string, now: number): boolean {
    const table = this.table;
    const slot = table.claim(key);
    if (table.claimedNew) {
      this.head[slot] = 0;
      this.count[slot] = 0;
    }
    table.score[slot] = now;
    const base = slot * this.threshold;
    const head = this.head[slot]!;
    this.times[base + head] = now;
    const next = head + 1 === this.threshold ? 0 : head + 1;
    this.head[slot] = next;
    const count = Math.min(this.count[slot]! + 1, this.threshold);
    this.count[slot] = count;
    // With a full ring, `next` holds the oldest of the last `threshold` failures.
    if (count === this.threshold && this.times[base + next]! > now - this.windowMs) {
      table.release(slot);
      return true;
    }
    return false;
  }

  get size(): number {
    return this.table.size;
  }

  get capacity(): number {
    return this.table.capacity;
  }
}

export class BanTable {
  private readonly sources: FailureWindow;
  private readonly users: FailureWindow | null;
  private readonly bans: BoundedKeyTable;
  private readonly until: Float64Array;
  private readonly banMs: number;

  constructor(options: BanOptions) {
    const { threshold, windowMs, banMs } = options;
    const userThreshold = options.userThreshold ?? 0;
    if (!Number.isInteger(threshold) || threshold < 1 || threshold > MAX_THRESHOLD ||
        !Number.isInteger(userThreshold) || userThreshold < 0 || userThreshold > MAX_THRESHOLD ||
        !(windowMs > 0) || !(banMs > 0)) {
      throw new RangeError(`ban thresholds must be integers in 1..${MAX_THRESHOLD}, window and duration > 0`);
    }
    const capacity = options.capacity ?? 16_384;
    this.sources = new FailureWindow(threshold, windowMs, capacity, options.seed);
    this.users = userThreshold > 0
      ? new FailureWindow(userThreshold, options.userWindowMs ?? windowMs, capacity, options.seed)
      : null;
    this.bans = new BoundedKeyTable({ capacity: options.banCapacity ?? 16_384, seed: options.seed });
    this.until = new Float64Array(this.bans.capacity);
    this.banMs = banMs;
  }

  private banned(key: string, now: number): boolean {
    const slot = this.bans.find(key);
    if (slot < 0) return false;
    if (this.until[slot]! > now) return true;
    this.bans.release(slot);
    return false;
  }

  /** Whether a request from ip (and, once known, for username) must be refused without work. */
  isBanned(ip: string, username: string | undefined, now: number): boolean {
    if (this.banned(`i ${ip}`, now)) return true;
    return username !== undefined && this.users !== null && this.banned(`u ${userKey(username)}`, now);
  }

  /** Count one failed authentication; returns the bans it caused (to count, log and share). */
  recordFailure(ip: string, username: string | undefined, now: number): Ban[] {
    const created: Ban[] = [];
    if (this.sources.record(ip, now)) created.push(this.apply({ kind: 'ip', key: ip, until: now + this.banMs }));
    if (username !== undefined && this.users !== null) {
      const key = userKey(username);
      if (this.users.record(key, now)) created.push(this.apply({ kind: 'user', key, until: now + this.banMs }));
    }
    return created;
  }

  /** Install a ban (local or learnt from another node); a later `until` extends an existing one. */
  apply(ban: Ban): Ban {
    const key = ban.kind === 'ip' ? `i ${ban.key}` : `u ${userKey(ban.key)}`;
    const slot = this.bans.claim(key);
    const until = this.bans.claimedNew ? ban.until : Math.max(this.until[slot]!, ban.until);
    this.until[slot] = until;
    this.bans.score[slot] = until;
    return ban;
  }

  /** Remove a ban early (operator action). */
  lift(kind: BanKind, key: string): void {
    const slot = this.bans.find(kind === 'ip' ? `i ${key}` : `u ${userKey(key)}`);
    if (slot >= 0) this.bans.release(slot);
  }

  /** Bans in force at `now`, for the edge_bans_active gauge (a scan of the ban table). */
  activeBans(now: number): number {
    let active = 0;
    for (let slot = 0; slot < this.bans.capacity; slot++) {
      if (!this.bans.isOccupied(slot)) continue;
      if (this.until[slot]! > now) active++;
      else this.bans.release(slot);
    }
    return active;
  }

  /** Memory bound figures: tracked keys never exceed the capacities. */
  stats(): { trackedSources: number; trackedUsers: number; bans: number; capacity: number; banCapacity: number } {
    return {
      trackedSources: this.sources.size,
      trackedUsers: this.users?.size ?? 0,
      bans: this.bans.size,
      capacity: this.sources.capacity,
      banCapacity: this.bans.capacity,
    };
  }
}

/** A ban list shared between nodes (Redis, ...). Asynchronous; the local table stays authoritative for the hot path. */
export interface SharedBanList {
  /** Tell the other nodes about a ban decided here. */
  publish(ban: Ban): Promise<void>;
  /** Receive bans decided elsewhere; returns an unsubscribe function. */
  subscribe(onBan: (ban: Ban) => void): () => void;
  /** Bans in force now, to seed a starting node (optional). */
  snapshot?(now: number): Promise<Ban[]>;
}

export interface SharedBans {
  isBanned(ip: string, username: string | undefined, now: number): boolean;
  recordFailure(ip: string, username: string | undefined, now: number): Ban[];
  activeBans(now: number): number;
  close(): void;
}

/**
 * Local fast path plus sharing: bans created here are published (errors go to onError, the local
 * ban holds regardless), bans from other nodes are applied locally as they arrive.
 */
export function shareBans(local: BanTable, shared: SharedBanList, onError: (error: unknown) => void): SharedBans {
  const unsubscribe = shared.subscribe((ban) => {
    if (ban && (ban.kind === 'ip' || ban.kind === 'user') && typeof ban.key === 'string' &&
        ban.key.length <= 128 && Number.isFinite(ban.until)) {
      local.apply(ban);
    }
  });
  return {
    isBanned: (ip, username, now) => local.isBanned(ip, username, now),
    recordFailure(ip, username, now) {
      const created = local.recordFailure(ip, username, now);
      for (const ban of created) {
        try {
          shared.publish(ban).catch(onError);
        } catch (error) {
          onError(error);
        }
      }
      return created;
    },
    activeBans: (now) => local.activeBans(now),
    close: unsubscribe,
  };
}
