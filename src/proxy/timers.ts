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

/** The previous system clock: one node timer, a Map entry and an id object per setTimer. Kept as the
 * baseline for bench/proxy-parts.bench.ts and for callers that need sub-tick precision. */
export function createNodeTimerClock(): Clock {
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

/** Tick of the system clock's timer wheel, in ms: timers fire up to about one tick late. */
export const WHEEL_TICK_MS = 10;
/** Slots in the wheel (a power of two): one turn covers WHEEL_SLOTS * WHEEL_TICK_MS = 5.12 s. */
const WHEEL_SLOTS = 512;

/**
 * A wheel timer: the handle the caller keeps and the node the wheel links into its slot's circular
 * list (no Map, no node timer). Cancelling unlinks it at once.
 */
class WheelTimer implements TimerHandle {
  readonly id: number;
  /** Absolute due time (clock ms); never fired before it. */
  due: number;
  /** The wheel tick it is filed under (its slot is tick & (WHEEL_SLOTS - 1)). */
  tick: number;
  fn: (() => void) | null;
  prev: WheelTimer | null = null;
  next: WheelTimer | null = null;
  constructor(id: number, due: number, tick: number, fn: (() => void) | null) {
    this.id = id;
    this.due = due;
    this.tick = tick;
    this.fn = fn;
  }
}

function unlink(w: WheelTimer): void {
  w.prev!.next = w.next;
  w.next!.prev = w.prev;
  w.prev = null;
  w.next = null;
}

export interface WheelClock extends Clock {
  /** Timers armed and neither fired nor cancelled. */
  pending(): number;
}

/**
 * The real clock: a hashed timer wheel with WHEEL_TICK_MS resolution, driven by one unref'd
 * setInterval that runs only while timers are pending (so it never holds the process open and an
 * idle process does not wake up). setTimer links a small object into the list of its due tick's
 * slot; cancelTimer unlinks it. A timer never fires before its due time (now() >= due when it
 * runs); it may run up to about a tick late, more when the event loop is busy. Timers due in the
 * same tick run in due order (then in the order they were set).
 */
export interface SystemClockOptions {
  /**
   * Called with what a timer callback threw; the other callbacks of the tick run anyway. Without
   * it the first error is rethrown as an uncaught exception (as a throwing setTimeout would be).
   * Lets a caller drop its own try/catch wrapper (a closure per setTimer).
   */
  onError?: (err: unknown) => void;
}

export function createSystemClock(options: SystemClockOptions = {}): WheelClock {
  const onError = options.onError;
  const now = (): number => performance.now();
  /** One sentinel per slot: its list is circular, empty when sentinel.next === sentinel. */
  const slots: WheelTimer[] = [];
  for (let i = 0; i < WHEEL_SLOTS; i++) {
    const head = new WheelTimer(0, 0, 0, null);
    head.prev = head;
    head.next = head;
    slots.push(head);
  }
  const due: WheelTimer[] = [];
  let next = 1;
  let live = 0;
  /** Last tick whose slot was processed: new timers go to a later tick. */
  let done = Math.floor(now() / WHEEL_TICK_MS);
  let driver: NodeJS.Timeout | undefined;

  const byDue = (a: WheelTimer, b: WheelTimer): number => a.due - b.due || a.id - b.id;

  function link(w: WheelTimer): void {
    const head = slots[w.tick & (WHEEL_SLOTS - 1)]!;
    const last = head.prev!;
    w.prev = last;
    w.next = head;
    last.next = w;
    head.prev = w;
  }

  function run(): void {
    const t = now();
    const target = Math.floor(t / WHEEL_TICK_MS);
    // After a long stall, one pass over every slot is enough: each entry is checked against its tick.
    let tick = target - done > WHEEL_SLOTS ? target - WHEEL_SLOTS : done;
    while (tick < target) {
      tick++;
      const head = slots[tick & (WHEEL_SLOTS - 1)]!;
      if (head.next === head) continue;
      let sorted = true;
      for (let w = head.next!; w !== head; ) {
        const after = w.next!;
        if (w.tick <= tick) {
          unlink(w);
          if (w.due <= t) {
            if (sorted && due.length > 0 && byDue(due[due.length - 1]!, w) > 0) sorted = false;
            due.push(w);
          } else {
            // Only by float rounding (tick * WHEEL_TICK_MS >= due by construction): the next tick.
            w.tick = tick + 1;
            link(w);
          }
        } // else: a later turn of the wheel
        w = after;
      }
      done = tick;
      if (due.length === 0) continue;
      if (!sorted) due.sort(byDue);
      let failure: unknown;
      let failed = false;
      for (let i = 0; i < due.length; i++) {
        const w = due[i]!;
        const fn = w.fn;
        due[i] = head; // drop the reference early
        if (fn === null) continue; // cancelled by an earlier callback of this tick
        w.fn = null;
        live--;
        try {
          fn();
        } catch (err) {
          if (onError !== undefined) onError(err);
          // Like a throwing setTimeout callback: reported as uncaught, after the rest have run.
          else if (!failed) {
            failed = true;
            failure = err;
          }
        }
      }
      due.length = 0;
      if (failed) {
        queueMicrotask(() => {
          throw failure;
        });
      }
    }
    done = target;
    if (live === 0 && driver !== undefined) {
      clearInterval(driver);
      driver = undefined;
    }
  }

  return {
    now,
    setTimer(ms, fn) {
      const at = now() + (ms > 0 ? ms : 0);
      // The first tick whose start is at or after the due time, and after the last processed one.
      let tick = Math.ceil(at / WHEEL_TICK_MS);
      if (tick <= done) tick = done + 1;
      const w = new WheelTimer(next++, at, tick, fn);
      link(w);
      if (live++ === 0 && driver === undefined) {
        driver = setInterval(run, WHEEL_TICK_MS);
        driver.unref();
      }
      return w;
    },
    cancelTimer(handle) {
      const w = handle as WheelTimer;
      if (w.fn === null || w.fn === undefined) return; // fired, cancelled, or not one of ours
      w.fn = null;
      live--;
      if (w.prev !== null) unlink(w);
    },
    pending: () => live,
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
