// Relaying a response upstream from the bytes as received (RFC 3261 §16.7 step 9): the same octets
// with our top Via line cut out, instead of re-serializing the parsed message. Only for messages the
// parser already accepted (CRLF line ends, a Content-Length header matching the body); anything
// unusual (no Content-Length, a quoted string in our Via value) answers null and the caller
// serializes as before.

const CR = 0x0d;
const LF = 0x0a;
const SP = 0x20;
const HT = 0x09;
const COLON = 0x3a;
const COMMA = 0x2c;
const QUOTE = 0x22;

/** Index of the CRLF ending the header line that starts at `from` (folded lines included), or -1. */
function lineEnd(raw: Buffer, from: number, limit: number): number {
  let i = from;
  for (;;) {
    const cr = raw.indexOf(CR, i);
    if (cr < 0 || cr + 1 >= limit) return -1;
    if (raw[cr + 1] !== LF) return -1;
    const next = raw[cr + 2];
    if (next !== SP && next !== HT) return cr;
    i = cr + 2;
  }
}

/** For a Via line (long or compact name) starting at `from`, the index after its colon; else -1. */
function viaValueStart(raw: Buffer, from: number, end: number): number {
  let i = from;
  const c0 = raw[i]! | 0x20;
  if (c0 !== 0x76) return -1; // 'v'
  i++;
  if (i + 1 < end && (raw[i]! | 0x20) === 0x69 && (raw[i + 1]! | 0x20) === 0x61) i += 2; // "ia"
  while (i < end && (raw[i] === SP || raw[i] === HT)) i++;
  return i < end && raw[i] === COLON ? i + 1 : -1;
}

/**
 * The response bytes without their first Via line, cut off after the body (octets a UDP datagram
 * carries beyond Content-Length are not relayed). `bodyLength` is the parsed body's length and must
 * equal the message's Content-Length. Null when the message cannot be cut safely.
 */
export function withoutTopViaLine(raw: Buffer, bodyLength: number): Buffer | null {
  let start = 0;
  while (start + 1 < raw.length && raw[start] === CR && raw[start + 1] === LF) start += 2;
  const headEnd = raw.indexOf('\r\n\r\n', start, 'latin1');
  if (headEnd < 0) return null;
  const limit = headEnd + 2; // the header block ends with the CRLF of its last line
  const first = raw.indexOf('\r\n', start, 'latin1');
  if (first < 0 || first >= limit) return null;
  let p = first + 2;
  while (p < limit) {
    const end = lineEnd(raw, p, headEnd + 4);
    if (end < 0 || end >= limit) return null;
    const value = viaValueStart(raw, p, end);
    if (value >= 0) {
      const total = headEnd + 4 + bodyLength;
      if (total > raw.length) return null;
      const comma = raw.indexOf(COMMA, value);
      // One value on the line: the whole line goes. Several ("Via: ours, theirs", as SIPp's
      // [last_Via:] writes them): our value, its comma and the whitespace after it go.
      let cutFrom = p;
      let cutTo = end + 2;
      if (comma >= 0 && comma < end) {
        const quote = raw.indexOf(QUOTE, value);
        if (quote >= 0 && quote < comma) return null;
        cutFrom = value;
        while (raw[cutFrom] === SP || raw[cutFrom] === HT) cutFrom++;
        cutTo = comma + 1;
        while (cutTo < end && (raw[cutTo] === SP || raw[cutTo] === HT || raw[cutTo] === CR || raw[cutTo] === LF)) cutTo++;
      }
      const out = Buffer.allocUnsafe(total - start - (cutTo - cutFrom));
      raw.copy(out, 0, start, cutFrom);
      raw.copy(out, cutFrom - start, cutTo, total);
      return out;
    }
    p = end + 2;
  }
  return null;
}
