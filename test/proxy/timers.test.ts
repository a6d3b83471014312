import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createManualClock, createSystemClock, WHEEL_TICK_MS } from '../../src/proxy/timers.ts';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('system clock (timer wheel)', () => {
  it('never fires a timer before its due time, and fires every timer', async () => {
    const clock = createSystemClock();
    const late: number[] = [];
    const delays = [0, 1, 3, 9, 10, 11, 19, 20, 27, 45, 60];
    for (const ms of delays) {
      const due = clock.now() + ms;
      clock.setTimer(ms, () => late.push(clock.now() - due));
    }
    expect(clock.pending()).toBe(delays.length);
    await sleep(150);
    expect(late.length).toBe(delays.length);
    for (const l of late) expect(l).toBeGreaterThanOrEqual(0);
    expect(clock.pending()).toBe(0);
  });

  it('runs timers in due order, also inside one tick', async () => {
    const clock = createSystemClock();
    const order: number[] = [];
    clock.setTimer(8, () => order.push(8));
    clock.setTimer(2, () => order.push(2));
    clock.setTimer(5, () => order.push(5));
    clock.setTimer(25, () => order.push(25));
    await sleep(80);
    expect(order).toEqual([2, 5, 8, 25]);
  });

  it('does not run a cancelled timer, also one cancelled by another callback of the same tick', async () => {
    const clock = createSystemClock();
    const ran: string[] = [];
    const a = clock.setTimer(5, () => ran.push('a'));
    clock.cancelTimer(a);
    clock.cancelTimer(a); // twice is harmless
    let c: ReturnType<typeof clock.setTimer> | undefined;
    clock.setTimer(4, () => {
      ran.push('b');
      clock.cancelTimer(c!);
    });
    c = clock.setTimer(6, () => ran.push('c'));
    clock.cancelTimer({ id: 12345 }); // not ours: ignored
    expect(clock.pending()).toBe(2);
    await sleep(60);
    expect(ran).toEqual(['b']);
    expect(clock.pending()).toBe(0);
  });

  it('keeps timers longer than one turn of the wheel, and timers set from a callback', async () => {
    const clock = createSystemClock();
    const ran: string[] = [];
    // 512 slots of WHEEL_TICK_MS: a timer one turn and a bit away lands in an early slot again.
    const turn = 512 * WHEEL_TICK_MS;
    const start = clock.now();
    clock.setTimer(turn + 15, () => ran.push('long'));
    clock.setTimer(5, () => {
      ran.push('first');
      clock.setTimer(0, () => ran.push('zero from callback'));
    });
    await sleep(100);
    expect(ran).toEqual(['first', 'zero from callback']);
    await sleep(turn + 15 - (clock.now() - start) + 60);
    expect(ran).toEqual(['first', 'zero from callback', 'long']);
  }, 15_000);

  it('reports now() in monotonic milliseconds', async () => {
    const clock = createSystemClock();
    const a = clock.now();
    await sleep(20);
    const b = clock.now();
    expect(b - a).toBeGreaterThanOrEqual(19);
    expect(b - a).toBeLessThan(2000);
  });

  it('does not hold the process open', () => {
    const code = `import { createSystemClock } from ${JSON.stringify(new URL('../../src/proxy/timers.ts', import.meta.url).pathname)};
const c = createSystemClock(); c.setTimer(60000, () => { console.log('fired'); });
console.log('armed', c.pending());`;
    const started = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 20_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('armed 1');
    expect(r.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});

describe('manual clock', () => {
  it('fires in due order inside advance and counts pending timers', () => {
    const clock = createManualClock();
    const order: number[] = [];
    clock.setTimer(30, () => order.push(30));
    const h = clock.setTimer(20, () => order.push(20));
    clock.setTimer(10, () => order.push(10));
    clock.cancelTimer(h);
    expect(clock.pending()).toBe(2);
    clock.advance(29);
    expect(order).toEqual([10]);
    clock.advance(1);
    expect(order).toEqual([10, 30]);
    expect(clock.now()).toBe(30);
  });
});

describe('system clock errors', () => {
  it('hands what a callback throws to onError and still runs the other callbacks of the tick', async () => {
    const errors: unknown[] = [];
    const clock = createSystemClock({ onError: (err) => errors.push(err) });
    const ran: number[] = [];
    clock.setTimer(2, () => ran.push(1));
    clock.setTimer(3, () => {
      throw new Error('boom');
    });
    clock.setTimer(4, () => ran.push(3));
    await sleep(60);
    expect(ran).toEqual([1, 3]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom']);
  });
});
