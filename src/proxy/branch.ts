// Branch parameters (RFC 3261 §8.1.1.7, §16.6 step 8, §16.11) and transaction keys (§17.2.3).
// Our branch is deterministic: the same incoming transaction forwarded to the same target gets the
// same branch, so a stateless retransmission or a CANCEL lands on the same downstream transaction.

import { streamHash } from '../sip/fast-hash.ts';

export const MAGIC_COOKIE = 'z9hG4bK';
const OUR_PREFIX = `${MAGIC_COOKIE}-e`;

/** The RFC 3261 branch of a Via, or undefined for an RFC 2543 peer. */
export function rfc3261Branch(branch: string | undefined): string | undefined {
  return branch !== undefined && branch.startsWith(MAGIC_COOKIE) && branch.length > MAGIC_COOKIE.length ? branch : undefined;
}

/**
 * The branch for forwarding one incoming transaction to one target (attempt counts fail-over tries
 * to the same URI). loopHash is appended after a dot so that a request coming back to us can be told
 * apart from a spiral (§16.3 step 4).
 */
export function forwardBranch(incomingKey: string, target: string, attempt: number, loopHash: string): string {
  const h = streamHash.begin(1).add(incomingKey).addCode(10).add(target).addCode(10).addCode(attempt | 0).hex32();
  return `${MAGIC_COOKIE}-e${h}.${loopHash}`;
}

/** A short hash over the fields that stay the same when a request loops back unchanged. */
export function loopHashOf(parts: readonly string[]): string {
  const h = streamHash.begin(3);
  for (let i = 0; i < parts.length; i++) {
    if (i > 0) h.addCode(10);
    h.add(parts[i]!);
  }
  return h.hex16();
}

/** The loop hash part of one of our own branches, or undefined. */
export function loopHashInBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(OUR_PREFIX)) return undefined;
  const dot = branch.lastIndexOf('.');
  return dot < 0 ? undefined : branch.slice(dot + 1);
}
