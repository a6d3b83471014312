// Parsed target URIs: a domain's voice_url, a trunk's origination URLs, a connection's sip_target.
// Few distinct strings that every call reuses, so each is parsed once. Bounded (cleared when full);
// the parsed objects are shared, so nothing may modify them.

import { parseUri } from '../sip/uri.ts';
import type { SipUri, TelUri } from '../sip/uri.ts';

const MAX_ENTRIES = 1024;
const parsed = new Map<string, SipUri | TelUri | null>();

export function targetUri(text: string): SipUri | TelUri | null {
  const hit = parsed.get(text);
  if (hit !== undefined) return hit;
  const uri = parseUri(text);
  if (parsed.size >= MAX_ENTRIES) parsed.clear();
  parsed.set(text, uri);
  return uri;
}
