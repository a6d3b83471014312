// The digest credentials a request offers, parsed once per request: the ban check (which needs the
// username before any hashing) and the gate's verification both read them, one right after the
// other, and parsing the header is the costliest step of a decision after the hashing itself.
//
// The answer for the last request asked about is kept (one entry, held strongly until the next
// request): admission asks, then the gate asks again for the same request, and the second call is a
// pointer comparison. A per-request WeakMap did the same at the price of an ephemeron entry per
// request (its set alone cost more than the parse, and the entries slowed every GC).

import { selectCredentials } from '../auth/credentials.ts';
import type { SelectedCredentials } from '../auth/credentials.ts';
import type { SipRequest } from '../sip/message.ts';

const NONE: SelectedCredentials = { ok: false, error: 'none' };

let lastRequest: SipRequest | null = null;
let lastRealm = '';
let lastResult: SelectedCredentials = NONE;

/**
 * Credentials for `realm` from the header the method uses (Authorization for REGISTER,
 * Proxy-Authorization otherwise). Asking twice in a row about the same request returns the same
 * answer without parsing again; any other request is parsed afresh (same result either way).
 */
export function offeredCredentials(req: SipRequest, realm: string): SelectedCredentials {
  if (req === lastRequest && realm === lastRealm) return lastResult;
  const values = req.method === 'REGISTER' ? req.authorization : req.proxyAuthorization;
  const result = values.length === 0 ? NONE : selectCredentials(values, realm);
  lastRequest = req;
  lastRealm = realm;
  lastResult = result;
  return result;
}
