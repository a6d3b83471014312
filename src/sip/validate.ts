// Proxy validation of a parsed request (RFC 3261 §16.3 steps 1-3 and 5, §8.2.2).
// Loop detection (482) and Proxy-Authorization (step 6) belong to the caller.

import { matchesLower } from './chars.ts';
import { headerKey } from './header-names.ts';
import type { SipRequest } from './message.ts';

export interface ValidationFailure {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
}

/** The headers that may appear once, in the order they are checked. */
const SINGLE_VALUE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length'];

/** Bit of SINGLE_VALUE[k] by header key (headerKey of the name). */
function singleValueBit(key: string): number {
  switch (key) {
    case 'from': return 1;
    case 'to': return 2;
    case 'call-id': return 4;
    case 'cseq': return 8;
    case 'max-forwards': return 16;
    case 'content-length': return 32;
    default: return 0;
  }
}

function bad(reason: string): ValidationFailure {
  return { status: 400, reason, headers: [] };
}

/** True for a Request-URI scheme this edge handles (the text before the first ':'). */
function isHandledScheme(uri: string): boolean {
  switch (uri.indexOf(':')) {
    case 3: return matchesLower(uri, 0, 'sip') || matchesLower(uri, 0, 'tel');
    case 4: return matchesLower(uri, 0, 'sips');
    default: return false;
  }
}

/** Which single-value header appears more than once (first in SINGLE_VALUE order), or undefined. */
function repeatedSingleValue(req: SipRequest): string | undefined {
  // bit k of seen: SINGLE_VALUE[k] seen; of repeated: seen again
  let seen = 0;
  let repeated = 0;
  for (const h of req.headers) {
    const bit = singleValueBit(headerKey(h.name));
    repeated |= seen & bit;
    seen |= bit;
  }
  if (repeated === 0) return undefined;
  for (let k = 0; k < SINGLE_VALUE.length; k++) if ((repeated & (1 << k)) !== 0) return SINGLE_VALUE[k];
  return undefined;
}

/**
 * null when the request may proceed; otherwise the response to send: 400 (missing or repeated
 * mandatory headers), 416 (Request-URI scheme), 483 (Max-Forwards 0), 420 (Proxy-Require, with
 * an Unsupported header). Max-Forwards 0 on an OPTIONS for the edge itself is the caller's
 * case (answer 200).
 */
export function validateRequest(req: SipRequest): ValidationFailure | null {
  if (req.via.length === 0) return bad('Missing Via');
  if (req.from === undefined) return bad('Missing From');
  if (req.to === undefined) return bad('Missing To');
  if (req.callId === undefined) return bad('Missing Call-ID');
  if (req.cseq === undefined) return bad('Missing CSeq');
  const repeated = repeatedSingleValue(req);
  if (repeated !== undefined) return bad(`Multiple ${repeated} values`);
  if (req.cseq.method !== req.method) return bad('CSeq method mismatch');
  if (!isHandledScheme(req.uri)) {
    return { status: 416, reason: 'Unsupported URI Scheme', headers: [] };
  }
  if (req.maxForwards === 0) return { status: 483, reason: 'Too Many Hops', headers: [] };
  if (req.proxyRequire.length > 0) {
    return {
      status: 420,
      reason: 'Bad Extension',
      headers: [['Unsupported', req.proxyRequire.join(', ')]],
    };
  }
  return null;
}
