// The digest credentials a request offers, parsed once per request: the ban check (which needs the
// username before any hashing) and the gate's verification both read them, and parsing the header
// is the costliest step of a decision after the hashing itself.

import { selectCredentials } from '../auth/credentials.ts';
import type { SelectedCredentials } from '../auth/credentials.ts';
import type { SipRequest } from '../sip/message.ts';

const NONE: SelectedCredentials = { ok: false, error: 'none' };
const parsed = new WeakMap<SipRequest, SelectedCredentials>();

/**
 * Credentials for `realm` from the header the method uses (Authorization for REGISTER,
 * Proxy-Authorization otherwise). A process serves one realm, so the first answer for a request is
 * the answer.
 */
export function offeredCredentials(req: SipRequest, realm: string): SelectedCredentials {
  let result = parsed.get(req);
  if (result === undefined) {
    const values = req.method === 'REGISTER' ? req.authorization : req.proxyAuthorization;
    result = values.length === 0 ? NONE : selectCredentials(values, realm);
    parsed.set(req, result);
  }
  return result;
}
