// Which worker owns a client transaction. With SIP workers sharing one UDP port, the kernel picks
// the worker by the sender's address, so a PBX's response may arrive at a worker that did not send
// the request. Each worker notes the branch of the top Via of every request it sends; a response
// whose branch it does not know is handed to the other workers (through the primary).

import { startsAsResponse } from '../sip/scalars.ts';

const VIA = Buffer.from('\r\nVia:', 'latin1');
const VIA_COMPACT = Buffer.from('\r\nv:', 'latin1');
const BRANCH = Buffer.from('branch=', 'latin1');
const MAX_BRANCH = 128;
/** Branches live between one and two periods (INVITE client transactions: Timer C is 180 s). */
const PERIOD_MS = 200_000;
/** Cap per generation: beyond it the oldest generation is dropped early. */
const MAX_PER_GENERATION = 500_000;

function isBranchEnd(octet: number): boolean {
  // ; , space tab CR
  return octet === 0x3b || octet === 0x2c || octet === 0x20 || octet === 0x09 || octet === 0x0d;
}

/** The branch parameter of the first Via header of a serialized request, if any. */
export function topViaBranch(bytes: Buffer): string | undefined {
  let at = bytes.indexOf(VIA);
  const compact = bytes.indexOf(VIA_COMPACT);
  if (at < 0 || (compact >= 0 && compact < at)) at = compact;
  if (at < 0) return undefined;
  const lineEnd = bytes.indexOf(0x0d, at + 2);
  const start = bytes.indexOf(BRANCH, at);
  if (start < 0 || (lineEnd >= 0 && start > lineEnd)) return undefined;
  const from = start + BRANCH.length;
  let end = from;
  while (end < bytes.length && end - from <= MAX_BRANCH && !isBranchEnd(bytes[end]!)) end++;
  if (end === from || end - from > MAX_BRANCH) return undefined;
  return bytes.toString('latin1', from, end);
}

export class BranchOwnership {
  #current = new Set<string>();
  #previous = new Set<string>();
  #rotatedAt: number;
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#rotatedAt = now();
  }

  #rotate(): void {
    const now = this.#now();
    if (now - this.#rotatedAt < PERIOD_MS && this.#current.size < MAX_PER_GENERATION) return;
    this.#previous = this.#current;
    this.#current = new Set();
    this.#rotatedAt = now;
  }

  /** Records the branch of an outgoing request (responses, which start with "SIP/", are skipped). */
  noteSent(bytes: Buffer): void {
    if (startsAsResponse(bytes)) return;
    const branch = topViaBranch(bytes);
    if (branch === undefined) return;
    this.#rotate();
    this.#current.add(branch);
  }

  owns(branch: string): boolean {
    return this.#current.has(branch) || this.#previous.has(branch);
  }
}
