// A fixed-size, set-associative key table for per-source state (rate buckets, failure counts,
// bans). Memory is allocated once: `capacity` slots grouped in sets of WAYS; a key lives in the
// set its seeded hash picks, and when the set is full the slot with the lowest score (the owner
// decides what score means: last seen, expiry) is taken over. Every operation is O(WAYS).
// The hash is seeded per instance so a sender cannot aim many keys at one set.
import { randomInt } from 'node:crypto';

const WAYS = 8;

export interface BoundedTableOptions {
  /** Slots; rounded up to a power of two, at least 8. */
  capacity: number;
  /** Hash seed; random by default (tests may fix it). */
  seed?: number;
}

export class BoundedKeyTable {
  readonly capacity: number;
  /** Owner-defined ordering for eviction: the lowest score in a full set is evicted. */
  readonly score: Float64Array;
  private readonly keys: (string | undefined)[];
  private readonly hashes: Uint32Array;
  private readonly setMask: number;
  private readonly seed: number;
  private used = 0;
  /** Set by claim(): whether the returned slot was newly taken (empty or evicted). */
  claimedNew = false;

  constructor(options: BoundedTableOptions) {
    let capacity = WAYS;
    const wanted = Math.min(Math.max(Math.floor(options.capacity), WAYS), 1 << 26);
    while (capacity < wanted) capacity *= 2;
    this.capacity = capacity;
    this.score = new Float64Array(capacity);
    this.keys = new Array<string | undefined>(capacity).fill(undefined);
    this.hashes = new Uint32Array(capacity);
    this.setMask = capacity / WAYS - 1;
    this.seed = (options.seed ?? randomInt(0, 2 ** 32 - 1)) >>> 0;
  }

  /** Occupied slots. */
  get size(): number {
    return this.used;
  }

  private hash(key: string): number {
    let h = (0x811c9dc5 ^ this.seed) >>> 0;
    for (let i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    // Final avalanche (murmur3 fmix32) so low bits depend on every input bit.
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    return h >>> 0;
  }

  /** Slot index holding key, or -1. */
  find(key: string): number {
    const h = this.hash(key);
    const base = (h & this.setMask) * WAYS;
    for (let i = base; i < base + WAYS; i++) {
      if (this.hashes[i] === h && this.keys[i] === key) return i;
    }
    return -1;
  }

  /**
   * Slot for key: its own, else an empty one, else the lowest-scored one of its set (evicted).
   * `claimedNew` tells the caller whether to initialise the slot's state.
   */
  claim(key: string): number {
    const h = this.hash(key);
    const base = (h & this.setMask) * WAYS;
    let empty = -1;
    let lowest = base;
    for (let i = base; i < base + WAYS; i++) {
      const slotKey = this.keys[i];
      if (slotKey === undefined) {
        if (empty < 0) empty = i;
      } else if (this.hashes[i] === h && slotKey === key) {
        this.claimedNew = false;
        return i;
      } else if (this.score[i]! < this.score[lowest]!) {
        lowest = i;
      }
    }
    const slot = empty >= 0 ? empty : lowest;
    if (empty >= 0) this.used++;
    this.keys[slot] = key;
    this.hashes[slot] = h;
    this.claimedNew = true;
    return slot;
  }

  release(slot: number): void {
    if (this.keys[slot] === undefined) return;
    this.keys[slot] = undefined;
    this.hashes[slot] = 0;
    this.score[slot] = 0;
    this.used--;
  }

  isOccupied(slot: number): boolean {
    return this.keys[slot] !== undefined;
  }

  keyAt(slot: number): string | undefined {
    return this.keys[slot];
  }
}
