// Strict SIP message parser (RFC 3261 §7, §25) over one Buffer holding one message or datagram.
// The header block is decoded once (latin1, byte for byte) and scanned by char code; only the
// start line and the eager headers (Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length,
// Route, Proxy-Require, credentials) are interpreted here. It never throws.

import { TOKEN, isDigit, parseBoundedInt } from './chars.ts';
import {
  H_AUTHORIZATION, H_CALL_ID, H_CONTENT_LENGTH, H_CSEQ, H_EXPIRES, H_FROM, H_MAX_FORWARDS,
  H_OTHER, H_PROXY_AUTHORIZATION, H_PROXY_REQUIRE, H_ROUTE, H_TO, H_VIA, eagerHeader,
} from './eager-header.ts';
import {
  MAX_BODY_BYTES, MAX_FOLDED_LINES, MAX_FORWARDS_LIMIT, MAX_HEADER_BLOCK_BYTES, MAX_HEADER_COUNT,
  MAX_HEADER_LINES,
  MAX_HEADER_VALUE_BYTES, MAX_MESSAGE_BYTES, MAX_UINT32,
} from './limits.ts';
import type { CSeq, NameAddr, SipHeader, SipMessage, ViaHop } from './message.ts';
import { KNOWN_KIND, KNOWN_NAME, knownHeaderAt } from './known-header.ts';
import { parseNameAddrList, parseSingleNameAddr } from './name-addr.ts';
import { parseFailure } from './parse-error.ts';
import type { Collected, SipParseError } from './parse-error.ts';
import {
  isCallId, isSomeSipVersion, isValidRequestUri, parseCSeq, parseOptionTags, trimWsp,
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
  // One latin1 decode of the whole (capped) input; the header block is s[start, limit).
  const s = buf.toString('latin1');
  let start = 0;
  while (start + 1 < s.length && s.charCodeAt(start) === 0x0d && s.charCodeAt(start + 1) === 0x0a) {
    start += 2;
  }
  const headEnd = s.indexOf('\r\n\r\n', start);
  const limit = headEnd < 0 ? s.length : headEnd + 2;
  if (limit - start > MAX_HEADER_BLOCK_BYTES) return parseFailure('header block too large', undefined);
  if (limit <= start) return parseFailure('empty message', undefined);

  // ---- start line
  // What a parse error reports; the raw Via values are rebuilt from viaAt only on failure.
  let isRequest: boolean;
  let methodSeen: string | undefined;
  let fromRaw: string | undefined;
  let toRaw: string | undefined;
  let callIdRaw: string | undefined;
  let cseqRaw: string | undefined;
  let lineEnd = s.indexOf('\r\n', start);
  if (lineEnd < 0 || lineEnd > limit) lineEnd = limit;
  let startError: string | undefined;
  let startStatus: 400 | 505 = 400;
  let method = '';
  let uri = '';
  let status = 0;
  let reason = '';
  if (s.startsWith('SIP/', start)) {
    isRequest = false;
    const line = s.slice(start, lineEnd);
    if (!line.startsWith('SIP/2.0 ')) {
      const sp = line.indexOf(' ');
      startError ??= 'unsupported SIP version';
      if (isSomeSipVersion(sp < 0 ? line : line.slice(0, sp))) startStatus = 505;
    } else if (
      line.length < 11 || !isDigit(line.charCodeAt(8)) || !isDigit(line.charCodeAt(9)) ||
      !isDigit(line.charCodeAt(10)) || (line.length > 11 && line.charCodeAt(11) !== 0x20)
    ) {
      startError ??= 'bad status code';
    } else {
      status = parseBoundedInt(line.slice(8, 11), 999);
      if (status < 100 || status > 699) startError ??= 'status code out of range';
      reason = line.length > 12 ? line.slice(12) : '';
      if (reason.indexOf('\n') >= 0 || reason.indexOf('\0') >= 0 || reason.indexOf('\r') >= 0) {
        startError ??= 'control character in reason phrase';
      }
    }
  } else {
    isRequest = true;
    // Request-Line = Method SP Request-URI SP SIP-Version, single spaces (RFC 3261 §7.1)
    let sp1 = s.indexOf(' ', start);
    if (sp1 > lineEnd) sp1 = -1;
    let sp2 = lineEnd - 1;
    while (sp2 > sp1 && s.charCodeAt(sp2) !== 0x20) sp2--;
    if (sp1 <= start) {
      startError ??= 'bad request line';
    } else {
      let t = start;
      while (t < sp1 && TOKEN[s.charCodeAt(t)] === 1) t++;
      if (t !== sp1) {
        startError ??= 'bad method';
      } else {
        method = s.slice(start, sp1);
        methodSeen = method;
        if (sp2 === sp1) {
          startError ??= 'bad request line';
        } else {
          uri = s.slice(sp1 + 1, sp2);
          if (lineEnd - sp2 !== 8 || !s.startsWith('SIP/2.0', sp2 + 1)) {
            if (isSomeSipVersion(s.slice(sp2 + 1, lineEnd))) {
              startError ??= 'unsupported SIP version';
              startStatus = 505;
            } else {
              startError ??= 'bad SIP version';
            }
          } else if (!isValidRequestUri(s, sp1 + 1, sp2)) {
            startError ??= 'bad Request-URI';
          }
        }
      }
    }
  }

  // ---- header lines: split, unfold, collect raw values of the eager headers
  const headers: SipHeader[] = [];
  // Eager values are parsed where they lie in s (a flat string, faster to scan than slices):
  // source string, start, end; folded values are parsed in their unfolded copy.
  const viaAt: Array<string | number> = [];
  let routeAt: Array<string | number> | undefined;
  let fromSrc = '', fromA = 0, fromB = 0, toSrc = '', toA = 0, toB = 0;
  let callIdSrc = '', callIdA = 0, callIdB = 0, cseqSrc = '', cseqA = 0, cseqB = 0;
  let proxyRequireRaw: string[] | undefined;
  const authorization: string[] = [];
  const proxyAuthorization: string[] = [];
  let maxForwardsRaw: string | undefined;
  let contentLengthRaw: string | undefined;
  let expiresRaw: string | undefined;
  let lineError: string | undefined;
  let counted = 0;
  let lines = 0;
  let folds = 0;
  let pos = lineEnd + 2;
  while (pos < limit) {
    // Lines that are not headers are skipped but counted, so garbage cannot keep us busy.
    if (++lines > MAX_HEADER_LINES) {
      lineError ??= 'too many header lines';
      break;
    }
    let e = s.indexOf('\n', pos);
    if (e >= limit) e = -1;
    let folded = false;
    let bareLf = false;
    while (e >= 0 && (s.charCodeAt(e + 1) === 0x20 || s.charCodeAt(e + 1) === 0x09)) {
      if (s.charCodeAt(e - 1) !== 0x0d) bareLf = true;
      folded = true;
      if (++folds > MAX_FOLDED_LINES) break;
      e = s.indexOf('\n', e + 1);
      if (e >= limit) e = -1;
    }
    if (folds > MAX_FOLDED_LINES) {
      lineError ??= 'too many continuation lines';
      break;
    }
    const lineStop = e < 0 ? limit : e;
    const next = e < 0 ? limit : e + 1;
    if (bareLf || (e >= 0 && s.charCodeAt(e - 1) !== 0x0d)) {
      lineError ??= 'bare LF';
      pos = next;
      continue;
    }
    const valueEnd = e < 0 ? limit : e - 1;
    let kind: number;
    let name: string;
    let j: number;
    const known = knownHeaderAt(s, pos);
    if (known >= 0) {
      // "Name:" in its usual spelling: a shared name string, the colon right after it.
      name = KNOWN_NAME[known]!;
      kind = KNOWN_KIND[known]!;
      j = pos + name.length;
    } else {
      // Name and colon are looked for within this line only (an unbounded search for ':'
      // would make a block of colon-less lines quadratic).
      let nameEnd = pos;
      while (nameEnd < lineStop && TOKEN[s.charCodeAt(nameEnd)] === 1) nameEnd++;
      j = nameEnd;
      while (j < lineStop && (s.charCodeAt(j) === 0x20 || s.charCodeAt(j) === 0x09)) j++;
      if (nameEnd === pos || j >= lineStop || s.charCodeAt(j) !== 0x3a) {
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
    if (folded) {
      value = trimWsp(s.slice(vStart, vEnd).replace(FOLD, ' '));
      if (value.indexOf('\r') >= 0) {
        lineError ??= 'bare CR in header';
        continue;
      }
    } else {
      while (vStart < vEnd && (s.charCodeAt(vStart) === 0x20 || s.charCodeAt(vStart) === 0x09)) vStart++;
      while (vEnd > vStart && (s.charCodeAt(vEnd - 1) === 0x20 || s.charCodeAt(vEnd - 1) === 0x09)) vEnd--;
      const cr = s.indexOf('\r', vStart);
      if (cr >= 0 && cr < vEnd) {
        lineError ??= 'bare CR in header';
        continue;
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
      break;
    }
    headers.push({ name, value });
    switch (kind) {
      case H_OTHER: break;
      case H_VIA:
        if (folded) viaAt.push(value, 0, value.length);
        else viaAt.push(s, vStart, vEnd);
        break;
      case H_FROM:
        if (fromRaw !== undefined) break;
        fromRaw = value;
        if (folded) { fromSrc = value; fromA = 0; fromB = value.length; } else { fromSrc = s; fromA = vStart; fromB = vEnd; }
        break;
      case H_TO:
        if (toRaw !== undefined) break;
        toRaw = value;
        if (folded) { toSrc = value; toA = 0; toB = value.length; } else { toSrc = s; toA = vStart; toB = vEnd; }
        break;
      case H_CALL_ID:
        if (callIdRaw !== undefined) break;
        callIdRaw = value;
        if (folded) { callIdSrc = value; callIdA = 0; callIdB = value.length; } else { callIdSrc = s; callIdA = vStart; callIdB = vEnd; }
        break;
      case H_CSEQ:
        if (cseqRaw !== undefined) break;
        cseqRaw = value;
        if (folded) { cseqSrc = value; cseqA = 0; cseqB = value.length; } else { cseqSrc = s; cseqA = vStart; cseqB = vEnd; }
        break;
      case H_MAX_FORWARDS: maxForwardsRaw ??= value; break;
      case H_CONTENT_LENGTH:
        if (contentLengthRaw !== undefined) lineError ??= 'more than one Content-Length';
        contentLengthRaw = value;
        break;
      case H_ROUTE:
        routeAt ??= [];
        if (folded) routeAt.push(value, 0, value.length);
        else routeAt.push(s, vStart, vEnd);
        break;
      case H_PROXY_REQUIRE: (proxyRequireRaw ??= []).push(value); break;
      case H_AUTHORIZATION: authorization.push(value); break;
      case H_PROXY_AUTHORIZATION: proxyAuthorization.push(value); break;
      case H_EXPIRES: expiresRaw ??= value; break;
    }
  }
  let failure = 'internal parser error';
  let failStatus: 400 | 505 = 400;
  eager: {
    if (startError !== undefined) { failure = startError; failStatus = startStatus; break eager; }
    if (lineError !== undefined) { failure = lineError; break eager; }
    if (headEnd < 0) { failure = 'headers not terminated by an empty line'; break eager; }

    // ---- eager header values
    const via: ViaHop[] = [];
    for (let k = 0; k < viaAt.length; k += 3) {
      const text = viaAt[k] as string;
        const bytes = text === s ? buf : Buffer.from(text, 'latin1');
        if (!parseViaBytes(bytes, text, via, viaAt[k + 1] as number, viaAt[k + 2] as number)) {
        failure = 'bad Via'; break eager;
      }
    }
    let from: NameAddr | undefined;
    let to: NameAddr | undefined;
    if (fromRaw !== undefined) {
      const na = parseSingleNameAddr(fromSrc, fromA, fromB);
      if (na === null) { failure = 'bad From'; break eager; }
      from = na;
    }
    if (toRaw !== undefined) {
      const na = parseSingleNameAddr(toSrc, toA, toB);
      if (na === null) { failure = 'bad To'; break eager; }
      to = na;
    }
    if (callIdRaw !== undefined && !isCallId(callIdSrc, callIdA, callIdB)) {
      failure = 'bad Call-ID';
      break eager;
    }
    let cseq: CSeq | undefined;
    if (cseqRaw !== undefined) {
      const cs = parseCSeq(cseqSrc, cseqA, cseqB);
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
    const route: NameAddr[] = [];
    if (routeAt !== undefined) for (let k = 0; k < routeAt.length; k += 3) {
      if (!parseNameAddrList(routeAt[k] as string, route, routeAt[k + 1] as number, routeAt[k + 2] as number)) {
        failure = 'bad Route'; break eager;
      }
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
        type: 'request', method, uri, version: 'SIP/2.0', headers, body, via, from, to,
        callId: callIdRaw, cseq, maxForwards, contentLength, route, proxyRequire, authorization,
        proxyAuthorization,
      };
    }
    return {
      type: 'response', status, reason, version: 'SIP/2.0', headers, body, via, from, to,
      callId: callIdRaw, cseq, maxForwards, contentLength, route, proxyRequire, authorization,
      proxyAuthorization,
    };
  }
  const seen = collected(isRequest, methodSeen, viaAt, fromRaw, toRaw, callIdRaw, cseqRaw);
  return parseFailure(failure, seen, failStatus);
}

/** What a parse error reports about the message so far. */
function collected(
  isRequest: boolean, method: string | undefined, viaAt: Array<string | number>,
  from: string | undefined, to: string | undefined, callId: string | undefined, cseq: string | undefined,
): Collected {
  const via: string[] = [];
  for (let k = 0; k < viaAt.length; k += 3) {
    via.push((viaAt[k] as string).slice(viaAt[k + 1] as number, viaAt[k + 2] as number));
  }
  return { isRequest, method, via, from, to, callId, cseq };
}
