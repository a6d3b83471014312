// Fast path for header lines that start with a common name in its usual spelling followed
// directly by ':' ("Via:", "CSeq:", "m:"). Such a line needs no per-char name scan, no
// classification and no name copy: the name is a shared constant string. Anything else
// (other casing, space before the colon, rare names) takes the general path in parse.ts.

import {
  H_AUTHORIZATION, H_CALL_ID, H_CONTENT_LENGTH, H_CSEQ, H_EXPIRES, H_FROM, H_MAX_FORWARDS,
  H_OTHER, H_PROXY_AUTHORIZATION, H_PROXY_REQUIRE, H_ROUTE, H_TO, H_VIA,
} from './eager-header.ts';

// Within a group of names that share their first two chars, the more common come first.
const KNOWN: Array<[string, number]> = [
  ['Via', H_VIA], ['From', H_FROM], ['To', H_TO], ['Call-ID', H_CALL_ID], ['CSeq', H_CSEQ],
  ['Max-Forwards', H_MAX_FORWARDS], ['Content-Length', H_CONTENT_LENGTH], ['Route', H_ROUTE],
  ['Proxy-Require', H_PROXY_REQUIRE], ['Authorization', H_AUTHORIZATION],
  ['Proxy-Authorization', H_PROXY_AUTHORIZATION], ['Expires', H_EXPIRES],
  ['Content-Type', H_OTHER], ['Contact', H_OTHER], ['Record-Route', H_OTHER], ['Allow', H_OTHER],
  ['Allow-Events', H_OTHER], ['Supported', H_OTHER], ['Require', H_OTHER], ['Accept', H_OTHER],
  ['User-Agent', H_OTHER], ['Server', H_OTHER], ['Session-Expires', H_OTHER], ['Min-SE', H_OTHER],
  ['Content-Disposition', H_OTHER], ['Content-Encoding', H_OTHER], ['Event', H_OTHER],
  ['Subscription-State', H_OTHER], ['WWW-Authenticate', H_OTHER], ['Proxy-Authenticate', H_OTHER],
  ['P-Asserted-Identity', H_OTHER], ['Privacy', H_OTHER], ['Date', H_OTHER], ['Timestamp', H_OTHER],
  ['Reason', H_OTHER], ['Refer-To', H_OTHER], ['Referred-By', H_OTHER], ['Replaces', H_OTHER],
  ['Unsupported', H_OTHER], ['Warning', H_OTHER], ['Call-Info', H_OTHER], ['Alert-Info', H_OTHER],
  ['Organization', H_OTHER], ['Subject', H_OTHER], ['Accept-Language', H_OTHER],
  ['Accept-Encoding', H_OTHER], ['Retry-After', H_OTHER], ['Path', H_OTHER], ['RSeq', H_OTHER],
  ['RAck', H_OTHER], ['Diversion', H_OTHER], ['Remote-Party-ID', H_OTHER],
  ['v', H_VIA], ['f', H_FROM], ['t', H_TO], ['i', H_CALL_ID], ['l', H_CONTENT_LENGTH],
  ['m', H_OTHER], ['c', H_OTHER], ['k', H_OTHER], ['s', H_OTHER], ['e', H_OTHER], ['o', H_OTHER],
  ['u', H_OTHER], ['x', H_OTHER], ['r', H_OTHER], ['b', H_OTHER],
];

/** Name as written, per entry. */
export const KNOWN_NAME: readonly string[] = KNOWN.map(([n]) => n);
/** Eager-header kind (eager-header.ts), per entry. */
export const KNOWN_KIND: readonly number[] = KNOWN.map(([, k]) => k);
/** "Name:" as char codes, per entry (a plain array: indexed faster than a Uint8Array here). */
const WITH_COLON: ReadonlyArray<readonly number[]> =
  KNOWN.map(([n]) => Array.from(`${n}:`, (c) => c.charCodeAt(0)));

// Entries grouped by their first two chars (7-bit each): key = c0 << 7 | c1.
const EMPTY: readonly number[] = [];
const BY_PREFIX: Array<readonly number[]> = new Array<readonly number[]>(1 << 14).fill(EMPTY);
for (let k = 0; k < WITH_COLON.length; k++) {
  const w = WITH_COLON[k]!;
  const key = (w[0]! << 7) | w[1]!;
  BY_PREFIX[key] = [...BY_PREFIX[key]!, k];
}

/**
 * Index of the KNOWN entry whose "Name:" starts the bytes b at i, or -1. Compares bytes, not
 * chars: indexing the bytes is much faster than charCodeAt or startsWith on the string.
 */
export function knownHeaderAt(b: Uint8Array, i: number): number {
  const c0 = b[i]!;
  const c1 = b[i + 1]!;
  if ((c0 | c1) > 0x7f) return -1;
  const list = BY_PREFIX[(c0 << 7) | c1]!;
  next: for (let n = 0; n < list.length; n++) {
    const k = list[n]!;
    const w = WITH_COLON[k]!;
    if (i + w.length > b.length) continue;
    for (let q = 2; q < w.length; q++) if (b[i + q]! !== w[q]!) continue next;
    return k;
  }
  return -1;
}
