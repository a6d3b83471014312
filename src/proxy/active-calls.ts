// Calls answered through this edge and not yet ended by a BYE (edge_active_calls). Bounded: when
// full, calls older than maxAgeMs go first, then the oldest.

export class ActiveCalls {
  private readonly calls = new Map<string, number>();
  private readonly now: () => number;
  private readonly maxAgeMs: number;
  private readonly maxCalls: number;

  constructor(now: () => number, maxAgeMs: number, maxCalls = 200_000) {
    this.now = now;
    this.maxAgeMs = maxAgeMs;
    this.maxCalls = maxCalls;
  }

  started(callId: string): void {
    if (this.calls.size >= this.maxCalls && !this.calls.has(callId)) {
      const cutoff = this.now() - this.maxAgeMs;
      for (const [k, t] of this.calls) {
        if (t < cutoff || this.calls.size >= this.maxCalls) this.calls.delete(k);
        else break;
      }
    }
    this.calls.set(callId, this.now());
  }

  ended(callId: string): void {
    this.calls.delete(callId);
  }

  get size(): number {
    return this.calls.size;
  }
}
