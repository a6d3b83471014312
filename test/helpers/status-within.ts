// Polling for end-to-end tests: an API change reaches the edge "within" a deadline.
import { sleep } from './net.ts';

/** Polls `attempt` until it gives `status` or `withinMs` passes; returns the last status seen. */
export async function statusWithin(withinMs: number, status: number, attempt: () => Promise<number | undefined>): Promise<number | undefined> {
  const deadline = Date.now() + withinMs;
  let last: number | undefined;
  do {
    last = await attempt();
    if (last === status) return last;
    await sleep(50);
  } while (Date.now() < deadline);
  return last;
}
