// The SIP message model. Header values are latin1 strings (one char per wire byte) so bytes
// round-trip exactly; decode with Buffer.from(v, 'latin1').toString('utf8') for display text.
// The eager fields below are parsed once by parseMessage and describe the message as received;
// to change a message, edit `headers` (the serializer writes `headers` only).

import { headerKey, isListHeader } from './header-names.ts';
import { splitList } from './split.ts';
import { parseUri } from './uri.ts';
import type { SipUri, TelUri } from './uri.ts';
import type { NameAddr } from './name-addr.ts';
import type { ViaHop } from './via.ts';

export interface SipHeader {
  /** Name as on the wire (compact forms kept). */
  name: string;
  /** Value with folding undone and surrounding whitespace removed. */
  value: string;
}

export type { SipParams } from './params.ts';
export { NameAddr } from './name-addr.ts';
export { ViaHop } from './via.ts';

export interface CSeq {
  seq: number;
  method: string;
}

interface SipMessageBase {
  /** Absent on messages; lets `r.kind === 'parse-error'` tell a parse result apart. */
  kind?: undefined;
  /** Always 'SIP/2.0' for parsed messages. */
  version: string;
  headers: SipHeader[];
  /** The body; for parsed messages a view into the input buffer. */
  body: Buffer;
  /** Via hops, top first (all Via header lines, all comma-separated values). */
  via: ViaHop[];
  from: NameAddr | undefined;
  to: NameAddr | undefined;
  callId: string | undefined;
  cseq: CSeq | undefined;
  maxForwards: number | undefined;
  /** Content-Length as received; undefined when the header is absent. */
  contentLength: number | undefined;
  /** Route entries, top first. */
  route: NameAddr[];
  /** Proxy-Require option tags. */
  proxyRequire: string[];
  /** Raw values of Authorization header lines (never log these). */
  authorization: string[];
  /** Raw values of Proxy-Authorization header lines (never log these). */
  proxyAuthorization: string[];
}

export interface SipRequest extends SipMessageBase {
  type: 'request';
  method: string;
  /** Request-URI as on the wire; see getRequestUri for the parsed form. */
  uri: string;
}

export interface SipResponse extends SipMessageBase {
  type: 'response';
  status: number;
  reason: string;
}

export type SipMessage = SipRequest | SipResponse;

// The last request asked about and its parsed URI: the callers ask about one request a few times
// in a row (the edge, then the gate), and a one-entry cache costs nothing per request where a
// WeakMap entry per request costs an insertion and ephemeron work in every GC.
let lastRequest: SipRequest | undefined;
let lastText = '';
let lastParsed: SipUri | TelUri | null = null;

/**
 * The parsed Request-URI (sip, sips or tel), or null for other schemes or bad syntax. Asking again
 * about the same request with the same URI text gives the same object (a new `uri` is seen).
 */
export function getRequestUri(req: SipRequest): SipUri | TelUri | null {
  if (req === lastRequest && req.uri === lastText) return lastParsed;
  const parsed = parseUri(req.uri);
  lastRequest = req;
  lastText = req.uri;
  lastParsed = parsed;
  return parsed;
}

/** Value of the first header line with this name (case-insensitive, compact forms mapped). */
export function getHeader(msg: SipMessage, name: string): string | undefined {
  const key = headerKey(name);
  for (const h of msg.headers) {
    if (headerKey(h.name) === key) return h.value;
  }
  return undefined;
}

/**
 * All values of a header, in order. For list headers (Contact, Route, Allow, Supported, ...)
 * each header line is split on commas outside quotes and angle brackets; other headers
 * (Authorization, Date, unknown headers) give one value per header line.
 */
export function getHeaders(msg: SipMessage, name: string): string[] {
  const key = headerKey(name);
  const split = isListHeader(key);
  const out: string[] = [];
  for (const h of msg.headers) {
    if (headerKey(h.name) !== key) continue;
    if (split) {
      for (const v of splitList(h.value)) out.push(v);
    } else {
      out.push(h.value);
    }
  }
  return out;
}

/** Number of header lines with this name. */
export function countHeaders(msg: SipMessage, name: string): number {
  const key = headerKey(name);
  let n = 0;
  for (const h of msg.headers) if (headerKey(h.name) === key) n++;
  return n;
}
