// Time source and one-shot timers used by the transaction layer. Injected so that tests can drive
// RFC 3261 timers (A..K) deterministically without waiting for real time.

export type TimerHandle = { readonly id: number };

export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Runs fn once after ms milliseconds unless cancelled. */
  setTimer(ms: number, fn: () => void): TimerHandle;
  cancelTimer(handle: TimerHandle): void;
}

/** RFC 3261 §17.1.1.1 timer values, in milliseconds. */
export interface TimerValues {
  t1: number;
  t2: number;
  t4: number;
}

export const DEFAULT_TIMERS: TimerValues = { t1: 500, t2: 4000, t4: 5000 };

/** The real clock, backed by node timers (unref'd so they never hold the process open). */
export function createSystemClock(): Clock {
  let next = 1;
  const live = new Map<number, NodeJS.Timeout>();
  return {
    now: () => performance.now(),
    setTimer(ms, fn) {
      const id = next++;
      const t = setTimeout(() => {
        live.delete(id);
        fn();
      }, ms);
      t.unref();
      live.set(id, t);
      return { id };
    },
    cancelTimer(handle) {
      const t = live.get(handle.id);
      if (t !== undefined) {
        clearTimeout(t);
        live.delete(handle.id);
      }
    },
  };
}

/** A clock advanced by hand: for tests and simulations. Timers fire in due order inside advance(). */
export interface ManualClock extends Clock {
  advance(ms: number): void;
  pending(): number;
}

export function createManualClock(start = 0): ManualClock {
  let now = start;
  let next = 1;
  const timers = new Map<number, { due: number; seq: number; fn: () => void }>();
  return {
    now: () => now,
    setTimer(ms, fn) {
      const id = next++;
      timers.set(id, { due: now + Math.max(0, ms), seq: id, fn });
      return { id };
    },
    cancelTimer(handle) {
      timers.delete(handle.id);
    },
    pending: () => timers.size,
    advance(ms) {
      const end = now + ms;
      for (;;) {
        let bestId = -1;
        let best: { due: number; seq: number; fn: () => void } | undefined;
        for (const [id, t] of timers) {
          if (t.due > end) continue;
          if (best === undefined || t.due < best.due || (t.due === best.due && t.seq < best.seq)) {
            best = t;
            bestId = id;
          }
        }
        if (best === undefined) break;
        timers.delete(bestId);
        now = best.due;
        best.fn();
      }
      now = end;
    },
  };
}
