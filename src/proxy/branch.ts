// Branch parameters (RFC 3261 §8.1.1.7, §16.6 step 8, §16.11) and transaction keys (§17.2.3).
// Our branch is deterministic: the same incoming transaction forwarded to the same target gets the
// same branch, so a stateless retransmission or a CANCEL lands on the same downstream transaction.

import { hash53, hashHex } from './fast-hash.ts';

export const MAGIC_COOKIE = 'z9hG4bK';

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
  const h = hashHex(`${incomingKey}\n${target}\n${attempt}`);
  return `${MAGIC_COOKIE}-e${h}.${loopHash}`;
}

/** A short hash over the fields that stay the same when a request loops back unchanged. */
export function loopHashOf(parts: readonly string[]): string {
  return hash53(parts.join('\n'), 3).toString(16).padStart(14, '0');
}

/** The loop hash part of one of our own branches, or undefined. */
export function loopHashInBranch(branch: string | undefined): string | undefined {
  if (branch === undefined || !branch.startsWith(`${MAGIC_COOKIE}-e`)) return undefined;
  const dot = branch.lastIndexOf('.');
  return dot < 0 ? undefined : branch.slice(dot + 1);
}
