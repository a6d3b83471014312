// Strict SIP message parser (RFC 3261 §7, §25) over one Buffer holding one message or datagram.
// The message is decoded once (latin1, byte for byte): lines are found with indexOf on that
// string and values are sliced from it, while char-by-char checks read the Buffer's bytes
// (byte k is char k), which is about twice as fast as charCodeAt. Only the start line and the
// eager headers (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length, Route,
// Proxy-Require, credentials) are interpreted here. It never throws.

import { TOKEN, isDigit, parseBoundedInt } from './chars.ts';
import {
  H_AUTHORIZATION, H_CALL_ID, H_CONTENT_LENGTH, H_CSEQ, H_EXPIRES, H_FROM, H_MAX_FORWARDS,
  H_OTHER, H_PROXY_AUTHORIZATION, H_PROXY_REQUIRE, H_ROUTE, H_TO, H_VIA, eagerHeader,
} from './eager-header.ts';
import {
  MAX_BODY_BYTES, MAX_FOLDED_LINES, MAX_FORWARDS_LIMIT, MAX_HEADER_BLOCK_BYTES, MAX_HEADER_COUNT,
  MAX_HEADER_LINES, MAX_HEADER_VALUE_BYTES, MAX_MESSAGE_BYTES, MAX_UINT32,
} from './limits.ts';
import type { CSeq, NameAddr, SipHeader, SipMessage, ViaHop } from './message.ts';
import { KNOWN_KIND, KNOWN_NAME, knownHeaderAt } from './known-header.ts';
import { parseNameAddrList, parseSingleNameAddr, parseSingleNameAddrBytes } from './name-addr.ts';
import { parseFailure } from './parse-error.ts';
import type { Collected, SipParseError } from './parse-error.ts';
import {
  isCallId, isSipVersion, isSomeSipVersion, isValidRequestUri, methodText, parseCSeq, parseOptionTags,
  trimWsp,
} from './scalars.ts';
import { parseViaBytes } from './via.ts';

const EMPTY_BODY = Buffer.alloc(0);
const FOLD = /\r\n[ \t]+/g;

/** Parse one SIP message. Returns the message, or a SipParseError; never throws. */
export function parseMessage(buf: Buffer): SipMessage | SipParseError {
  try {
    return parseUnchecked(buf);
  } catch {
    return parseFailure('internal parser error', undefined);
  }
}

function parseUnchecked(buf: Buffer): SipMessage | SipParseError {
  if (!Buffer.isBuffer(buf)) return parseFailure('not a buffer', undefined);
  if (buf.length > MAX_MESSAGE_BYTES) return parseFailure('message too large', undefined);
  // One latin1 decode of the whole (capped) input; the header block is s[start, headEnd + 2).
  const s = buf.toString('latin1');
  const n = s.length;
  let start = 0;
  while (start + 1 < n && buf[start] === 0x0d && buf[start + 1] === 0x0a) start += 2;
  if (start >= n) return parseFailure('empty message', undefined);

  // ---- start line
  // What a parse error reports; the raw Via values are taken from headers only on failure.
  let isRequest: boolean;
  let methodSeen: string | undefined;
  let fromRaw: string | undefined;
  let toRaw: string | undefined;
  let callIdRaw: string | undefined;
  let cseqRaw: string | undefined;
  let lineEnd = s.indexOf('\r\n', start);
  if (lineEnd < 0) lineEnd = n;
  let startError: string | undefined;
  let startStatus: 400 | 505 = 400;
  let method = '';
  let uri = '';
  let status = 0;
  let reason = '';
  if (buf[start] === 0x53 && buf[start + 1] === 0x49 && buf[start + 2] === 0x50 && buf[start + 3] === 0x2f) {
    // "SIP/": a status line
    isRequest = false;
    if (lineEnd - start < 8 || !isSipVersion(buf, start, start + 8)) { // not "SIP/2.0 "
      const line = s.slice(start, lineEnd);
      const sp = line.indexOf(' ');
      startError ??= 'unsupported SIP version';
      if (isSomeSipVersion(sp < 0 ? line : line.slice(0, sp))) startStatus = 505;
    } else if (
      lineEnd - start < 11 || !isDigit(buf[start + 8]!) || !isDigit(buf[start + 9]!) ||
      !isDigit(buf[start + 10]!) || (lineEnd - start > 11 && buf[start + 11] !== 0x20)
    ) {
      startError ??= 'bad status code';
    } else {
      status = (buf[start + 8]! - 0x30) * 100 + (buf[start + 9]! - 0x30) * 10 + (buf[start + 10]! - 0x30);
      if (status < 100 || status > 699) startError ??= 'status code out of range';
      reason = lineEnd - start > 12 ? s.slice(start + 12, lineEnd) : '';
      for (let k = start + 12; k < lineEnd; k++) {
        const c = buf[k]!;
        if (c === 0x0a || c === 0x00 || c === 0x0d) {
          startError ??= 'control character in reason phrase';
          break;
        }
      }
    }
  } else {
    isRequest = true;
    // Request-Line = Method SP Request-URI SP SIP-Version, single spaces (RFC 3261 §7.1)
    let sp1 = start;
    while (sp1 < lineEnd && TOKEN[buf[sp1]!] === 1) sp1++;
    let sp2 = lineEnd - 1;
    while (sp2 > sp1 && buf[sp2] !== 0x20) sp2--;
    if (sp1 === lineEnd || buf[sp1] !== 0x20) {
      // no method token followed by a space: a bad method when there is a space further on
      let sp = sp1;
      while (sp < lineEnd && buf[sp] !== 0x20) sp++;
      startError ??= sp === start || sp === lineEnd ? 'bad request line' : 'bad method';
    } else if (sp1 === start) {
      startError ??= 'bad request line';
    } else {
      method = methodText(buf, s, start, sp1);
      methodSeen = method;
      if (sp2 === sp1) {
        startError ??= 'bad request line';
      } else {
        uri = s.slice(sp1 + 1, sp2);
        if (lineEnd - sp2 !== 8 || !isSipVersion(buf, sp2 + 1, lineEnd)) {
          if (isSomeSipVersion(s.slice(sp2 + 1, lineEnd))) {
            startError ??= 'unsupported SIP version';
            startStatus = 505;
          } else {
            startError ??= 'bad SIP version';
          }
        } else if (!isValidRequestUri(buf, sp1 + 1, sp2)) {
          startError ??= 'bad Request-URI';
        }
      }
    }
  }

  // ---- header lines: split, unfold, note where the eager values lie. The blank line that ends
  // the block is met on the way (headEnd: index of the CRLFCRLF, as indexOf would give it).
  const headers: SipHeader[] = [];
  // Eager values are parsed after the loop (so a block refused for its shape costs no value
  // parsing), where they lie in s and buf (start, end), a folded value in its unfolded copy.
  // Via values: the first two (the usual ones) in locals, further ones as triples of text, start,
  // end in moreVia; Route likewise with one local. The others: a bit in folded when folded.
  let viaLines = 0;
  let via1Text = s, via1A = 0, via1B = 0, via2Text = s, via2A = 0, via2B = 0;
  let moreVia: Array<string | number> | undefined;
  let routeLines = 0;
  let route1Text = s, route1A = 0, route1B = 0;
  let moreRoute: Array<string | number> | undefined;
  let fromA = 0, fromB = 0, toA = 0, toB = 0, callIdA = 0, callIdB = 0, cseqA = 0, cseqB = 0;
  let folded = 0; // H_* bits of From, To, Call-ID, CSeq when their value was folded
  let proxyRequireRaw: string[] | undefined;
  let authorization: string[] | undefined;
  let proxyAuthorization: string[] | undefined;
  let maxForwardsRaw: string | undefined;
  let contentLengthRaw: string | undefined;
  let expiresRaw: string | undefined;
  let lineError: string | undefined;
  let counted = 0;
  let lines = 0;
  let folds = 0;
  let headEnd = -1;
  let stoppedEarly = false;
  let pos = lineEnd + 2;
  while (pos < n) {
    if (pos - start > MAX_HEADER_BLOCK_BYTES) return parseFailure('header block too large', undefined);
    // A line that starts with CRLF right after a CRLF is the blank line ending the block.
    if (buf[pos] === 0x0d && buf[pos + 1] === 0x0a && buf[pos - 2] === 0x0d) {
      headEnd = pos - 2;
      break;
    }
    // Lines that are not headers are skipped but counted, so garbage cannot keep us busy.
    if (++lines > MAX_HEADER_LINES) {
      lineError ??= 'too many header lines';
      stoppedEarly = true;
      break;
    }
    let e = s.indexOf('\n', pos);
    let valueEnd: number;
    let isFolded = false;
    // The common line: CRLF-terminated, no other CR or LF in it, not continued.
    const clean = e > pos && buf[e - 1] === 0x0d && s.indexOf('\r', pos) === e - 1 &&
      buf[e + 1] !== 0x20 && buf[e + 1] !== 0x09;
    if (clean) {
      valueEnd = e - 1;
    } else {
      let bareLf = false;
      while (e >= 0 && (buf[e + 1] === 0x20 || buf[e + 1] === 0x09)) {
        if (buf[e - 1] !== 0x0d) bareLf = true;
        isFolded = true;
        if (++folds > MAX_FOLDED_LINES) break;
        e = s.indexOf('\n', e + 1);
      }
      if (folds > MAX_FOLDED_LINES) {
        lineError ??= 'too many continuation lines';
        stoppedEarly = true;
        break;
      }
      if (bareLf || (e >= 0 && buf[e - 1] !== 0x0d)) {
        lineError ??= 'bare LF';
        pos = e < 0 ? n : e + 1;
        continue;
      }
      valueEnd = e < 0 ? n : e - 1;
    }
    const lineStop = e < 0 ? n : e;
    const next = e < 0 ? n : e + 1;
    let kind: number;
    let name: string;
    let j: number;
    const known = knownHeaderAt(buf, pos);
    if (known >= 0) {
      // "Name:" in its usual spelling: a shared name string, the colon right after it.
      name = KNOWN_NAME[known]!;
      kind = KNOWN_KIND[known]!;
      j = pos + name.length;
    } else {
      // Name and colon are looked for within this line only (an unbounded search for ':'
      // would make a block of colon-less lines quadratic).
      let nameEnd = pos;
      while (nameEnd < lineStop && TOKEN[buf[nameEnd]!] === 1) nameEnd++;
      j = nameEnd;
      while (j < lineStop && (buf[j] === 0x20 || buf[j] === 0x09)) j++;
      if (nameEnd === pos || j >= lineStop || buf[j] !== 0x3a) {
        lineError ??= 'malformed header line';
        pos = next;
        continue;
      }
      kind = eagerHeader(s, pos, nameEnd);
      name = s.slice(pos, nameEnd);
    }
    if (valueEnd - j > MAX_HEADER_VALUE_BYTES * 2) {
      lineError ??= 'header value too long';
      pos = next;
      continue;
    }
    pos = next;
    let vStart = j + 1;
    let vEnd = valueEnd;
    let value: string;
    if (isFolded) {
      value = trimWsp(s.slice(vStart, vEnd).replace(FOLD, ' '));
      if (value.indexOf('\r') >= 0) {
        lineError ??= 'bare CR in header';
        continue;
      }
    } else {
      while (vStart < vEnd && (buf[vStart] === 0x20 || buf[vStart] === 0x09)) vStart++;
      while (vEnd > vStart && (buf[vEnd - 1] === 0x20 || buf[vEnd - 1] === 0x09)) vEnd--;
      if (!clean) {
        const cr = s.indexOf('\r', vStart);
        if (cr >= 0 && cr < vEnd) {
          lineError ??= 'bare CR in header';
          continue;
        }
      }
      value = s.slice(vStart, vEnd);
    }
    if (value.length > MAX_HEADER_VALUE_BYTES) {
      lineError ??= 'header value too long';
      continue;
    }
    // The one Content-Length line is not counted, so a serializer may always add it.
    if (kind !== H_CONTENT_LENGTH && ++counted > MAX_HEADER_COUNT) {
      lineError ??= 'too many headers';
      stoppedEarly = true;
      break;
    }
    headers.push({ name, value });
    switch (kind) {
      case H_OTHER: break;
      case H_VIA: {
        const text = isFolded ? value : s;
        const a = isFolded ? 0 : vStart;
        const b = isFolded ? value.length : vEnd;
        if (viaLines === 0) { via1Text = text; via1A = a; via1B = b; }
        else if (viaLines === 1) { via2Text = text; via2A = a; via2B = b; }
        else (moreVia ??= []).push(text, a, b);
        viaLines++;
        break;
      }
      case H_FROM:
        if (fromRaw !== undefined) break;
        fromRaw = value;
        if (isFolded) { folded |= 1 << H_FROM; fromA = 0; fromB = value.length; } else { fromA = vStart; fromB = vEnd; }
        break;
      case H_TO:
        if (toRaw !== undefined) break;
        toRaw = value;
        if (isFolded) { folded |= 1 << H_TO; toA = 0; toB = value.length; } else { toA = vStart; toB = vEnd; }
        break;
      case H_CALL_ID:
        if (callIdRaw !== undefined) break;
        callIdRaw = value;
        if (isFolded) { folded |= 1 << H_CALL_ID; callIdA = 0; callIdB = value.length; } else { callIdA = vStart; callIdB = vEnd; }
        break;
      case H_CSEQ:
        if (cseqRaw !== undefined) break;
        cseqRaw = value;
        if (isFolded) { folded |= 1 << H_CSEQ; cseqA = 0; cseqB = value.length; } else { cseqA = vStart; cseqB = vEnd; }
        break;
      case H_MAX_FORWARDS: maxForwardsRaw ??= value; break;
      case H_CONTENT_LENGTH:
        if (contentLengthRaw !== undefined) lineError ??= 'more than one Content-Length';
        contentLengthRaw = value;
        break;
      case H_ROUTE: {
        const text = isFolded ? value : s;
        const a = isFolded ? 0 : vStart;
        const b = isFolded ? value.length : vEnd;
        if (routeLines === 0) { route1Text = text; route1A = a; route1B = b; }
        else (moreRoute ??= []).push(text, a, b);
        routeLines++;
        break;
      }
      case H_PROXY_REQUIRE: (proxyRequireRaw ??= []).push(value); break;
      case H_AUTHORIZATION:
        if (authorization === undefined) authorization = [value];
        else authorization.push(value);
        break;
      case H_PROXY_AUTHORIZATION:
        if (proxyAuthorization === undefined) proxyAuthorization = [value];
        else proxyAuthorization.push(value);
        break;
      case H_EXPIRES: expiresRaw ??= value; break;
    }
  }
  // Where the loop stopped early, or ran out of input, the block's size is judged as if it
  // had been read through: up to the first blank line, or the whole input.
  if (stoppedEarly) headEnd = s.indexOf('\r\n\r\n', start);
  if ((headEnd < 0 ? n : headEnd + 2) - start > MAX_HEADER_BLOCK_BYTES) {
    return parseFailure('header block too large', undefined);
  }
  let failure = 'internal parser error';
  let failStatus: 400 | 505 = 400;
  eager: {
    if (startError !== undefined) { failure = startError; failStatus = startStatus; break eager; }
    if (lineError !== undefined) { failure = lineError; break eager; }
    if (headEnd < 0) { failure = 'headers not terminated by an empty line'; break eager; }

    // ---- eager header values
    let via: ViaHop[] | undefined;
    for (let k = 0; k < viaLines; k++) {
      const text = k === 0 ? via1Text : k === 1 ? via2Text : moreVia![3 * k - 6] as string;
      const a = k === 0 ? via1A : k === 1 ? via2A : moreVia![3 * k - 5] as number;
      const b = k === 0 ? via1B : k === 1 ? via2B : moreVia![3 * k - 4] as number;
      const hops = parseViaBytes(text === s ? buf : Buffer.from(text, 'latin1'), text, via, a, b);
      if (hops === null) { failure = 'bad Via'; break eager; }
      via = hops;
    }
    let from: NameAddr | undefined;
    let to: NameAddr | undefined;
    if (fromRaw !== undefined) {
      const na = (folded & (1 << H_FROM)) === 0
        ? parseSingleNameAddrBytes(buf, s, fromA, fromB)
        : parseSingleNameAddr(fromRaw);
      if (na === null) { failure = 'bad From'; break eager; }
      from = na;
    }
    if (toRaw !== undefined) {
      const na = (folded & (1 << H_TO)) === 0
        ? parseSingleNameAddrBytes(buf, s, toA, toB)
        : parseSingleNameAddr(toRaw);
      if (na === null) { failure = 'bad To'; break eager; }
      to = na;
    }
    if (callIdRaw !== undefined && !((folded & (1 << H_CALL_ID)) === 0
      ? isCallId(buf, callIdA, callIdB)
      : isCallId(Buffer.from(callIdRaw, 'latin1'), 0, callIdRaw.length))) {
      failure = 'bad Call-ID';
      break eager;
    }
    let cseq: CSeq | undefined;
    if (cseqRaw !== undefined) {
      const cs = (folded & (1 << H_CSEQ)) === 0
        ? parseCSeq(buf, s, cseqA, cseqB, method)
        : parseCSeq(Buffer.from(cseqRaw, 'latin1'), cseqRaw, 0, cseqRaw.length, method);
      if (cs === null) { failure = 'bad CSeq'; break eager; }
      if (isRequest && cs.method !== method) { failure = 'CSeq method does not match'; break eager; }
      cseq = cs;
    }
    let maxForwards: number | undefined;
    if (maxForwardsRaw !== undefined) {
      maxForwards = parseBoundedInt(maxForwardsRaw, MAX_FORWARDS_LIMIT);
      if (maxForwards < 0) { failure = 'bad Max-Forwards'; break eager; }
    }
    if (expiresRaw !== undefined && isDigit(expiresRaw.charCodeAt(0)) &&
      parseBoundedInt(expiresRaw, MAX_UINT32) < 0) {
      failure = 'bad Expires'; break eager;
    }
    let route: NameAddr[] | undefined;
    for (let k = 0; k < routeLines; k++) {
      const text = k === 0 ? route1Text : moreRoute![3 * k - 3] as string;
      const a = k === 0 ? route1A : moreRoute![3 * k - 2] as number;
      const b = k === 0 ? route1B : moreRoute![3 * k - 1] as number;
      const entries = parseNameAddrList(text === s ? buf : Buffer.from(text, 'latin1'), text, route, a, b);
      if (entries === null) { failure = 'bad Route'; break eager; }
      route = entries;
    }
    const proxyRequire: string[] = [];
    if (proxyRequireRaw !== undefined) for (const p of proxyRequireRaw) {
      if (!parseOptionTags(p, proxyRequire)) { failure = 'bad Proxy-Require'; break eager; }
    }

    // ---- body
    const bodyStart = headEnd + 4;
    const available = buf.length - bodyStart;
    let contentLength: number | undefined;
    let body: Buffer;
    if (contentLengthRaw !== undefined) {
      contentLength = parseBoundedInt(contentLengthRaw, MAX_BODY_BYTES);
      if (contentLength < 0) { failure = 'bad Content-Length'; break eager; }
      if (contentLength > available) { failure = 'Content-Length larger than the body'; break eager; }
      body = contentLength === 0 ? EMPTY_BODY : buf.subarray(bodyStart, bodyStart + contentLength);
    } else {
      if (available > MAX_BODY_BYTES) { failure = 'body too large'; break eager; }
      body = available === 0 ? EMPTY_BODY : buf.subarray(bodyStart);
    }

    if (isRequest) {
      return {
        type: 'request', method, uri, version: 'SIP/2.0', headers, body, via: via ?? [], from, to,
        callId: callIdRaw, cseq, maxForwards, contentLength, route: route ?? [], proxyRequire,
        authorization: authorization ?? [], proxyAuthorization: proxyAuthorization ?? [],
      };
    }
    return {
      type: 'response', status, reason, version: 'SIP/2.0', headers, body, via: via ?? [], from, to,
      callId: callIdRaw, cseq, maxForwards, contentLength, route: route ?? [], proxyRequire,
      authorization: authorization ?? [], proxyAuthorization: proxyAuthorization ?? [],
    };
  }
  const seen = collected(isRequest, methodSeen, headers, fromRaw, toRaw, callIdRaw, cseqRaw);
  return parseFailure(failure, seen, failStatus);
}

/**
 * What a parse error reports about the message so far; the raw Via values are those of the Via
 * lines taken into headers (named as the loop named them: eagerHeader gives KNOWN_KIND's kinds).
 */
function collected(
  isRequest: boolean, method: string | undefined, headers: SipHeader[],
  from: string | undefined, to: string | undefined, callId: string | undefined, cseq: string | undefined,
): Collected {
  const via: string[] = [];
  for (const h of headers) if (eagerHeader(h.name, 0, h.name.length) === H_VIA) via.push(h.value);
  return { isRequest, method, via, from, to, callId, cseq };
}
