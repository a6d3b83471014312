// Responses built by the edge itself (RFC 3261 §8.2.6): stateless answers to requests and
// 400/505 answers to requests that did not parse.

import { headerKey } from './header-names.ts';
import { streamHash } from './fast-hash.ts';
import type { SipHeader, SipRequest, SipResponse } from './message.ts';
import { parseSingleNameAddr } from './name-addr.ts';
import type { SipParseError } from './parse-error.ts';

const REASONS: Record<number, string> = {
  100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued',
  183: 'Session Progress', 200: 'OK', 202: 'Accepted', 301: 'Moved Permanently',
  302: 'Moved Temporarily', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 407: 'Proxy Authentication Required',
  408: 'Request Timeout', 413: 'Request Entity Too Large', 414: 'Request-URI Too Long',
  415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme', 420: 'Bad Extension',
  421: 'Extension Required', 423: 'Interval Too Brief', 480: 'Temporarily Unavailable',
  481: 'Call/Transaction Does Not Exist', 482: 'Loop Detected', 483: 'Too Many Hops',
  484: 'Address Incomplete', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 500: 'Server Internal Error', 501: 'Not Implemented',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Server Time-out',
  505: 'Version Not Supported', 513: 'Message Too Large', 600: 'Busy Everywhere',
  603: 'Decline', 604: 'Does Not Exist Anywhere', 606: 'Not Acceptable',
};

/** The standard reason phrase for a status code. */
export function reasonPhrase(status: number): string {
  return REASONS[status] ?? (status < 200 ? 'Trying' : status < 300 ? 'OK' : 'Error');
}

/**
 * A To tag for a response the edge generates. Deterministic over the request's transaction
 * identity so a retransmitted request gets the same tag. It needs to be unique-ish, not secret
 * (no crypto hash): 64 bits of the streaming hash over the four values, newline-separated.
 */
export function localTag(callId: string, fromValue: string, topVia: string, cseq: string): string {
  return streamHash.begin(5).add(callId).addCode(10).add(fromValue).addCode(10).add(topVia).addCode(10).add(cseq).hex16();
}

function withTag(toValue: string, tag: string): string {
  return `${toValue};tag=${tag}`;
}

/** What a response copies from its request; filled by readRequest, read before the next call. */
const got = { vias: [] as string[], from: '', to: '', callId: '', cseq: '' };

/**
 * Read from req what a response to it copies (RFC 3261 §8.2.6.2) into `got`: the Via values
 * (all), From, To (a To tag added to a non-100 response when the request had none), Call-ID and
 * CSeq (first of each).
 */
function readRequest(req: SipRequest, status: number): void {
  const vias = got.vias;
  vias.length = 0;
  let fromValue = '';
  let toValue: string | undefined;
  let callId = '';
  let cseq = '';
  for (const h of req.headers) {
    switch (headerKey(h.name)) {
      case 'via': vias.push(h.value); break;
      case 'from': if (fromValue === '') fromValue = h.value; break;
      case 'to': if (toValue === undefined) toValue = h.value; break;
      case 'call-id': if (callId === '') callId = h.value; break;
      case 'cseq': if (cseq === '') cseq = h.value; break;
    }
  }
  let to = toValue ?? '';
  if (status !== 100 && req.to !== undefined && req.to.tag === undefined && toValue !== undefined) {
    to = withTag(toValue, localTag(callId, fromValue, vias.length > 0 ? vias[0]! : '', cseq));
  }
  got.from = fromValue;
  got.to = to;
  got.callId = callId;
  got.cseq = cseq;
}

/**
 * The headers of a response to req: Via (all), From, To, Call-ID and CSeq as readRequest takes
 * them, then `extra`, Content-Length 0.
 */
function responseHeaders(
  req: SipRequest,
  status: number,
  extra: ReadonlyArray<readonly [name: string, value: string]> | undefined,
): SipHeader[] {
  readRequest(req, status);
  const headers: SipHeader[] = [];
  for (const v of got.vias) headers.push({ name: 'Via', value: v });
  headers.push({ name: 'From', value: got.from });
  headers.push({ name: 'To', value: got.to });
  headers.push({ name: 'Call-ID', value: got.callId });
  headers.push({ name: 'CSeq', value: got.cseq });
  if (extra !== undefined) for (const [name, value] of extra) headers.push({ name, value });
  headers.push({ name: 'Content-Length', value: '0' });
  return headers;
}

/** Build a response to req with the headers of responseHeaders and an empty body. */
export function buildResponse(
  req: SipRequest,
  status: number,
  reason?: string,
  extra?: Array<[name: string, value: string]>,
): SipResponse {
  return {
    type: 'response', status, reason: reason ?? reasonPhrase(status), version: 'SIP/2.0',
    headers: responseHeaders(req, status, extra), body: Buffer.alloc(0), via: req.via, from: req.from, to: req.to,
    callId: req.callId, cseq: req.cseq, maxForwards: undefined, contentLength: 0, route: [], proxyRequire: [],
    authorization: [], proxyAuthorization: [],
  };
}

/**
 * The wire bytes of buildResponse(req, status, reason, extra), written without the intermediate
 * message, header objects and serializer: what the edge sends for its own answers (100, 407, 403,
 * 487, ...).
 */
export function responseBytes(
  req: SipRequest,
  status: number,
  reason?: string,
  extra?: ReadonlyArray<readonly [name: string, value: string]>,
): Buffer {
  readRequest(req, status);
  let s = `SIP/2.0 ${status} ${reason ?? reasonPhrase(status)}\r\n`;
  for (const v of got.vias) s += `Via: ${v}\r\n`;
  s += `From: ${got.from}\r\nTo: ${got.to}\r\nCall-ID: ${got.callId}\r\nCSeq: ${got.cseq}\r\n`;
  if (extra !== undefined) for (const [name, value] of extra) s += `${name}: ${value}\r\n`;
  return Buffer.from(`${s}Content-Length: 0\r\n\r\n`, 'latin1');
}

/**
 * Wire bytes of a 400 or 505 answer to a request that did not parse, or null when too little is
 * known to answer (then the message is dropped). The reason phrase names the fault in fixed text.
 */
export function buildParseErrorResponse(err: SipParseError): Buffer | null {
  if (!err.canRespond || err.from === undefined || err.to === undefined ||
    err.callId === undefined || err.cseq === undefined) {
    return null;
  }
  let s = `SIP/2.0 ${err.status} ${reasonPhrase(err.status)} (${err.reason})\r\n`;
  for (const v of err.via) s += `Via: ${v}\r\n`;
  s += `From: ${err.from}\r\n`;
  let to = err.to;
  const parsedTo = parseSingleNameAddr(to);
  if (parsedTo !== null && parsedTo.tag === undefined) {
    to = withTag(to, localTag(err.callId, err.from, err.via[0] ?? '', err.cseq));
  }
  s += `To: ${to}\r\nCall-ID: ${err.callId}\r\nCSeq: ${err.cseq}\r\nContent-Length: 0\r\n\r\n`;
  return Buffer.from(s, 'latin1');
}
