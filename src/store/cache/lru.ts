// A size-bounded map with second-chance (CLOCK) eviction. A hit only sets a flag on the entry (no
// reordering, no allocation); when the map is full, the oldest entries are examined in insertion
// order: a flagged one loses its flag and moves to the young end, the first unflagged one is evicted.

interface Slot<V> {
  value: V;
  referenced: boolean;
}

export class LruMap<V> {
  readonly #max: number;
  readonly #map = new Map<string, Slot<V>>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#max = maxEntries;
  }

  get size(): number {
    return this.#map.size;
  }

  /** Returns the value and marks it recently used. */
  get(key: string): V | undefined {
    const slot = this.#map.get(key);
    if (slot === undefined) return undefined;
    slot.referenced = true;
    return slot.value;
  }

  /** Returns the value without touching recency. */
  peek(key: string): V | undefined {
    return this.#map.get(key)?.value;
  }

  set(key: string, value: V): void {
    const slot = this.#map.get(key);
    if (slot !== undefined) {
      slot.value = value;
      slot.referenced = true;
      return;
    }
    if (this.#map.size >= this.#max) this.#evictOne();
    this.#map.set(key, { value, referenced: false });
  }

  delete(key: string): boolean {
    return this.#map.delete(key);
  }

  clear(): void {
    this.#map.clear();
  }

  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  #evictOne(): void {
    // Bounded: after one full pass every flag is cleared, so the loop ends within size + 1 steps.
    for (;;) {
      const oldest = this.#map.entries().next();
      if (oldest.done) return;
      const [key, slot] = oldest.value;
      this.#map.delete(key);
      if (!slot.referenced) return;
      slot.referenced = false;
      this.#map.set(key, slot);
    }
  }
}
