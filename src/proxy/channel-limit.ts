// Active-call counting per credential connection (outbound.channel_limit). A call holds a slot from
// the accepted INVITE until a final non-2xx, a BYE, or the proxy giving up on it; release is
// idempotent per call so that a BYE after a timeout does not free someone else's slot. A slot
// whose BYE never came (lost, or sent around the edge) is reclaimed after maxAgeMs.

interface Slot {
  owner: string;
  since: number;
}

export class ChannelCounter {
  private readonly perOwner = new Map<string, Set<string>>();
  private readonly slots = new Map<string, Slot>();
  private readonly now: () => number;
  private readonly maxAgeMs: number;

  constructor(now: () => number = Date.now, maxAgeMs = 6 * 3600_000) {
    this.now = now;
    this.maxAgeMs = maxAgeMs;
  }

  /** Takes a slot for callKey under owner; false when owner is at limit (null = unlimited). */
  acquire(owner: string, callKey: string, limit: number | null): boolean {
    if (this.slots.has(callKey)) return true;
    let set = this.perOwner.get(owner);
    if (limit !== null && set !== undefined && set.size >= limit) {
      this.reclaimStale(set);
      if (set.size >= limit) return false;
      set = this.perOwner.get(owner); // reclaiming may have dropped the emptied set
    }
    if (set === undefined) {
      set = new Set();
      this.perOwner.set(owner, set);
    }
    set.add(callKey);
    this.slots.set(callKey, { owner, since: this.now() });
    return true;
  }

  release(callKey: string): void {
    const slot = this.slots.get(callKey);
    if (slot === undefined) return;
    this.slots.delete(callKey);
    const set = this.perOwner.get(slot.owner);
    if (set === undefined) return;
    set.delete(callKey);
    if (set.size === 0) this.perOwner.delete(slot.owner);
  }

  active(owner: string): number {
    return this.perOwner.get(owner)?.size ?? 0;
  }

  total(): number {
    return this.slots.size;
  }

  private reclaimStale(set: Set<string>): void {
    const cutoff = this.now() - this.maxAgeMs;
    for (const key of [...set]) {
      const slot = this.slots.get(key);
      if (slot !== undefined && slot.since < cutoff) this.release(key);
    }
  }
}
