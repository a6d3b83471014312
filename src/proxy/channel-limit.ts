// Active-call counting per credential connection (outbound.channel_limit). A call holds a slot from
// the accepted INVITE until a final non-2xx, a BYE, or the proxy giving up on it; release is
// idempotent per call so that a BYE after a timeout does not free someone else's slot.

export class ChannelCounter {
  private readonly perOwner = new Map<string, Set<string>>();
  private readonly owners = new Map<string, string>();

  /** Takes a slot for callKey under owner; false when owner is at limit (null = unlimited). */
  acquire(owner: string, callKey: string, limit: number | null): boolean {
    if (this.owners.has(callKey)) return true;
    let set = this.perOwner.get(owner);
    if (limit !== null && (set?.size ?? 0) >= limit) return false;
    if (set === undefined) {
      set = new Set();
      this.perOwner.set(owner, set);
    }
    set.add(callKey);
    this.owners.set(callKey, owner);
    return true;
  }

  release(callKey: string): void {
    const owner = this.owners.get(callKey);
    if (owner === undefined) return;
    this.owners.delete(callKey);
    const set = this.perOwner.get(owner);
    if (set === undefined) return;
    set.delete(callKey);
    if (set.size === 0) this.perOwner.delete(owner);
  }

  active(owner: string): number {
    return this.perOwner.get(owner)?.size ?? 0;
  }

  /** Calls held across all owners (edge_active_calls counts every proxied call, not only these). */
  total(): number {
    return this.owners.size;
  }
}
