// Proxy validation of a parsed request (RFC 3261 §16.3 steps 1-3 and 5, §8.2.2).
// Loop detection (482) and Proxy-Authorization (step 6) belong to the caller.

import type { SipRequest } from './message.ts';
import { countHeaders } from './message.ts';

export interface ValidationFailure {
  status: number;
  reason: string;
  headers: Array<[string, string]>;
}

const SINGLE_VALUE = ['From', 'To', 'Call-ID', 'CSeq', 'Max-Forwards', 'Content-Length'];

function bad(reason: string): ValidationFailure {
  return { status: 400, reason, headers: [] };
}

/** True for a Request-URI scheme this edge handles. */
function isHandledScheme(uri: string): boolean {
  const colon = uri.indexOf(':');
  const scheme = uri.slice(0, colon).toLowerCase();
  return scheme === 'sip' || scheme === 'sips' || scheme === 'tel';
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
  for (const name of SINGLE_VALUE) {
    if (countHeaders(req, name) > 1) return bad(`Multiple ${name} values`);
  }
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
