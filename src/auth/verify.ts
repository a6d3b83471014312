// Digest response verification (RFC 7616 §3.4.1, RFC 2617 §3.2.2, RFC 2069 when qop is absent):
//   HA2      = H(method ":" digest-uri)
//   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   (qop=auth)
//   response = H(HA1 ":" nonce ":" HA2)                             (no qop)
// Messages are assembled in preallocated buffers, hex is written by table, and the received
// response is compared in constant time (MD5: decoded to the digest words it claims, XORed with ours). Credentials from parseCredentials carry the bytes
// of the header value (CredentialBytes): the MD5 path copies fields from there, four bytes at a time,
// instead of reading strings; an HA1 readied by prepareHa1 is copied as eight words. MD5 and SHA-256 run on our JavaScript implementations
// (for these short messages they beat node:crypto, whose per-call overhead dominates, see
// bench/digest.bench.ts); SHA-512/256 (64-bit arithmetic) on node:crypto.
import { hash, randomBytes } from 'node:crypto';
import { credentialBytes, type CredentialBytes, type DigestCredentials } from './credentials.ts';
import { prepareHa1, type Ha1Set, type PreparedHa1 } from './ha1.ts';
import { HEX_PAIR_LE, hexDecodeInto, hexEncodeInto, hexWordValue } from './hex.ts';
import { MD5_PAD_BYTES, MD5_WORK_BYTES, md5Run, md5State, md5Words, md5Work } from './md5.ts';
import { sha256Run, sha256State, sha256StateBytes, sha256Work } from './sha256.ts';

/** Fields of credentials that enter the computation (DigestCredentials satisfies it). */
export type DigestInput = Pick<DigestCredentials, 'nonce' | 'uri' | 'response' | 'algorithm' | 'qop' | 'nc' | 'cnonce'>;

// Work buffer layout (both for md5Work and shaWork): response message at 0, HA2 message at HA2_AT.
const HA2_AT = 2048;
/** Caps in characters, so that every message fits its region even at 3 UTF-8 bytes per character. */
const MAX_METHOD = 32;
const MAX_URI = 1024;
const MAX_SHORT = 256;
/** nc is 8 hex digits and qop "auth" once parsed; a little slack, no more. */
const MAX_TOKEN = 16;

const shaWork = Buffer.alloc(MD5_WORK_BYTES);
/** The received MD5 response decoded: the digest it claims, as four little-endian words like md5State. */
const expectedWords = new Int32Array(4);
const expectedBytes = new Uint8Array(expectedWords.buffer);
const expectedSha = new Uint8Array(32);
const digestBytes = new Uint8Array(32);

/** Stands in for the HA1 of an unknown user so that the work done matches a wrong password. */
const DUMMY_HA1: Ha1Set = {
  md5: randomBytes(16).toString('hex'),
  sha256: randomBytes(32).toString('hex'),
  sha512_256: randomBytes(32).toString('hex'),
};
const DUMMY_PREPARED: PreparedHa1 = prepareHa1(DUMMY_HA1);

/**
 * True when `input.response` is the response for `method`, the credentials' fields and the stored
 * HA1 of the user. Pass `ha1 = null` for an unknown user: the same computation runs on a dummy HA1
 * and the result is false. Never throws for any string input; oversized fields give false.
 * Credentials straight from parseCredentials/selectCredentials are read from the bytes they were
 * parsed from; other objects from their strings. Prefer verifyDigestPrepared on the hot path.
 */
export function verifyDigest(input: DigestInput, method: string, ha1: Ha1Set | null): boolean {
  const known = ha1 !== null;
  return verifyWith(input, method, known ? ha1 : DUMMY_HA1, null) && known;
}

/**
 * verifyDigest for an HA1 set readied once by prepareHa1 (when the user record is loaded, for every
 * user alike): the MD5 path then copies the HA1 as words. `ha1 = null` (unknown user) runs the same
 * computation on a prepared dummy.
 */
export function verifyDigestPrepared(input: DigestInput, method: string, ha1: PreparedHa1 | null): boolean {
  const known = ha1 !== null;
  const set = known ? ha1 : DUMMY_PREPARED;
  if (input.algorithm === 'MD5') {
    // The hot case, parsed MD5 credentials, goes straight to its own path (see verifyMd5Parsed).
    const wire = bytesFor(input);
    if (wire !== null) return verifyMd5Parsed(input, method, set.md5, set.md5Words, wire) && known;
  }
  return verifyWith(input, method, set, set.md5Words) && known;
}

function verifyWith(input: DigestInput, method: string, set: Ha1Set, md5Words: Int32Array | null): boolean {
  switch (input.algorithm) {
    case 'MD5':
      return verifyMd5(input, method, set.md5, md5Words);
    case 'SHA-256':
      return verifySha256(input, method, set.sha256);
    case 'SHA-512-256':
      return verifySha(input, method, set.sha512_256, 'sha512-256');
    default:
      return false;
  }
}

function fits(input: DigestInput, method: string): boolean {
  return (
    method.length <= MAX_METHOD &&
    input.uri.length <= MAX_URI &&
    input.nonce.length <= MAX_SHORT &&
    (input.cnonce === null || input.cnonce.length <= MAX_SHORT) &&
    (input.nc === null || input.nc.length <= MAX_TOKEN) &&
    (input.qop === null || input.qop.length <= MAX_TOKEN)
  );
}

/**
 * Buffer's native UTF-8 writer (on Buffer.prototype since early Node, not in @types/node), used only
 * for text that is not ASCII: a native call costs about as much as copying twenty characters in
 * JavaScript, and digest fields are ASCII in practice.
 */
interface NativeWriter {
  utf8Write?(text: string, offset: number): number;
}
const nativeUtf8 = typeof (Buffer.prototype as NativeWriter).utf8Write === 'function';

function putUtf8(buf: Buffer, text: string, at: number): number {
  return at + (nativeUtf8 ? (buf as NativeWriter & Buffer).utf8Write!(text, at) : buf.write(text, at, 'utf8'));
}

/** Unaligned little-endian word stores into the two work buffers. */
const md5View = new DataView(md5Work.buffer, md5Work.byteOffset, md5Work.byteLength);
const sha256View = new DataView(sha256Work.buffer, sha256Work.byteOffset, sha256Work.byteLength);
const shaView = new DataView(shaWork.buffer, shaWork.byteOffset, shaWork.byteLength);

function viewOf(buf: Buffer): DataView {
  return buf === md5Work ? md5View : buf === sha256Work ? sha256View : shaView;
}

/**
 * Writes `text` as UTF-8 at `at`; returns the offset after it. ASCII (the usual case) is copied four
 * characters per store; anything else is rewritten from `at` by the native encoder. The caps in
 * fits() guarantee room (at 3 bytes per character, and the 4-byte stores stay within that).
 */
function put(buf: Buffer, view: DataView, text: string, at: number): number {
  const n = text.length;
  let seen = 0;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const c0 = text.charCodeAt(i);
    const c1 = text.charCodeAt(i + 1);
    const c2 = text.charCodeAt(i + 2);
    const c3 = text.charCodeAt(i + 3);
    seen |= c0 | c1 | c2 | c3;
    view.setInt32(at + i, c0 | (c1 << 8) | (c2 << 16) | (c3 << 24), true);
  }
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    seen |= c;
    buf[at + i] = c;
  }
  return seen < 0x80 ? at + n : putUtf8(buf, text, at);
}

/**
 * Writes a stored HA1 (lowercase hex, ASCII, taken as latin1) at 0; returns its length. Done the
 * same way for every user, known or not, so that no per-user cache makes a first attempt slower
 * than the next.
 */
function putHa1(buf: Buffer, view: DataView, ha1Hex: string): number {
  // A stored HA1 of another length fails the caller's well-formedness check; cap what is written.
  const n = Math.min(ha1Hex.length, 64);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    view.setInt32(
      i,
      (ha1Hex.charCodeAt(i) & 0xff) |
        ((ha1Hex.charCodeAt(i + 1) & 0xff) << 8) |
        ((ha1Hex.charCodeAt(i + 2) & 0xff) << 16) |
        (ha1Hex.charCodeAt(i + 3) << 24),
      true,
    );
  }
  for (; i < n; i++) buf[i] = ha1Hex.charCodeAt(i);
  return n;
}

/** Writes the response message from `at` (after HA1) up to the ':' before HA2; returns the offset after it. */
function putResponsePrefix(buf: Buffer, view: DataView, input: DigestInput, at: number): number {
  buf[at++] = 0x3a;
  at = put(buf, view, input.nonce, at);
  buf[at++] = 0x3a;
  if (input.qop !== null) {
    at = put(buf, view, input.nc ?? '', at);
    buf[at++] = 0x3a;
    at = put(buf, view, input.cnonce ?? '', at);
    buf[at++] = 0x3a;
    at = put(buf, view, input.qop, at);
    buf[at++] = 0x3a;
  }
  return at;
}

function putHa2Message(buf: Buffer, method: string, uri: string): number {
  const view = viewOf(buf);
  let at = put(buf, view, method, HA2_AT);
  buf[at++] = 0x3a;
  return put(buf, view, uri, at) - HA2_AT;
}

/**
 * The bytes behind `input` when it came from parseCredentials and still carries the very fields
 * they were parsed for, else null (then the strings are read).
 */
function bytesFor(input: DigestInput): CredentialBytes | null {
  const b = credentialBytes(input);
  return b !== null &&
    b.nonce === input.nonce &&
    b.uri === input.uri &&
    b.response === input.response &&
    b.qop === input.qop &&
    b.nc === input.nc &&
    b.cnonce === input.cnonce
    ? b
    : null;
}

/**
 * Copies src[from, from + n) into md5Work at `at`, four bytes per store; returns the offset after
 * it. Up to 3 bytes past the copy are overwritten (the caller writes them next) and read (parsed
 * credentials have that slack).
 */
function copyIn(src: DataView, from: number, n: number, at: number): number {
  for (let k = 0; k < n; k += 4) md5View.setInt32(at + k, src.getInt32(from + k, true), true);
  return at + n;
}

/**
 * Decodes the received MD5 response from its parsed bytes (32 hex digits, checked by the parser) into
 * expectedWords, as hexDecodeInto does from the string.
 */
function loadReceivedBytes(src: DataView, from: number): void {
  for (let w = 0; w < 4; w++) {
    expectedWords[w] = hexWordValue(src.getInt32(from + 8 * w, true)) | (hexWordValue(src.getInt32(from + 8 * w + 4, true)) << 16);
  }
}

/** Writes the hex of the MD5 state (32 digits) into md5Work at `at`, two digits per table entry. */
function putStateHex(at: number): void {
  for (let w = 0; w < 4; w++) {
    const v = md5State[w];
    md5View.setInt32(at + 8 * w, HEX_PAIR_LE[v & 0xff] | (HEX_PAIR_LE[(v >>> 8) & 0xff] << 16), true);
    md5View.setInt32(at + 8 * w + 4, HEX_PAIR_LE[(v >>> 16) & 0xff] | (HEX_PAIR_LE[v >>> 24] << 16), true);
  }
}

/** Zero when the MD5 state equals the decoded received response; constant time. */
function stateDiff(): number {
  return (md5State[0] ^ expectedWords[0]) | (md5State[1] ^ expectedWords[1]) | (md5State[2] ^ expectedWords[2]) | (md5State[3] ^ expectedWords[3]);
}

/**
 * The HA2 message's start, method ":", for the method of the previous call (methods repeat; they
 * are not secret), as the words written at HA2_AT.
 */
let lastMethod = '';
let lastMethodBytes = 0;
const methodWords = new Int32Array((MAX_METHOD * 3 + 1 + 3) >>> 2);

/** Writes method ":" at HA2_AT (the caps in fits() hold); returns the offset after the ':'. */
function putMethod(method: string): number {
  if (method === lastMethod) {
    const n = lastMethodBytes;
    for (let w = 0, to = HA2_AT >>> 2, stop = (n + 3) >>> 2; w < stop; w++) md5Words[to + w] = methodWords[w];
    return HA2_AT + n;
  }
  let at = put(md5Work, md5View, method, HA2_AT);
  md5Work[at++] = 0x3a;
  const n = at - HA2_AT;
  for (let w = 0, from = HA2_AT >>> 2, stop = (n + 3) >>> 2; w < stop; w++) methodWords[w] = md5Words[from + w];
  lastMethod = method;
  lastMethodBytes = n;
  return at;
}

/**
 * MD5 verification for credentials read from their parsed bytes (`wire`, from bytesFor): the
 * parser has checked the response's 32 hex digits. Only parsed credentials come here, so its
 * property loads stay monomorphic whatever other inputs verifyDigest sees in the same process.
 */
function verifyMd5Parsed(input: DigestInput, method: string, ha1Hex: string, ha1Words: Int32Array | null, wire: CredentialBytes): boolean {
  if (!fits(input, method)) return false;
  const src = wire.view;
  const wellFormed = input.response.length === 32 && ha1Hex.length === 32;
  if (wellFormed) loadReceivedBytes(src, wire.responseAt);
  md5Run(HA2_AT, copyIn(src, wire.uriAt, input.uri.length, putMethod(method)) - HA2_AT);
  return md5ResponseMatches(putParsedFields(input, wire, putHa1Prepared(ha1Hex, ha1Words)), wellFormed);
}

/** The HA1 at 0 of md5Work: as eight words when prepared, else from its hex text; returns its length. */
function putHa1Prepared(ha1Hex: string, ha1Words: Int32Array | null): number {
  if (ha1Words === null) return putHa1(md5Work, md5View, ha1Hex);
  for (let w = 0; w < 8; w++) md5Words[w] = ha1Words[w];
  return 32;
}

/**
 * With the response message in md5Work up to `at` (the ':' before HA2) and HA2 in the MD5 state:
 * writes HA2's hex, hashes, and compares with the received response (constant time).
 */
function md5ResponseMatches(at: number, wellFormed: boolean): boolean {
  // The response message ends at most 1.8 KB in: its padding stays below HA2_AT.
  if (at + 32 + MD5_PAD_BYTES > HA2_AT) return false;
  putStateHex(at);
  md5Run(0, at + 32);
  return stateDiff() === 0 && wellFormed;
}

/** Writes ":" nonce ":" [nc ":" cnonce ":" qop ":"] from the parsed bytes into md5Work at `at`; returns the offset after it. */
function putParsedFields(input: DigestInput, wire: CredentialBytes, at: number): number {
  const src = wire.view;
  md5Work[at++] = 0x3a;
  at = copyIn(src, wire.nonceAt, input.nonce.length, at);
  md5Work[at++] = 0x3a;
  const qop = input.qop;
  if (qop !== null) {
    const nc = input.nc ?? '';
    if (nc.length === 8) {
      // The parser accepts qop=auth only with an nc of exactly 8 hex digits: two words.
      md5View.setInt32(at, src.getInt32(wire.ncAt, true), true);
      md5View.setInt32(at + 4, src.getInt32(wire.ncAt + 4, true), true);
      at += 8;
    } else {
      at = copyIn(src, wire.ncAt, nc.length, at);
    }
    md5Work[at++] = 0x3a;
    at = copyIn(src, wire.cnonceAt, (input.cnonce ?? '').length, at);
    md5Work[at++] = 0x3a;
    if (qop.length === 4) {
      // "auth" as sent (any case), then ':' in the byte after.
      md5View.setInt32(at, src.getInt32(wire.qopAt, true), true);
      md5Work[at + 4] = 0x3a;
      at += 5;
    } else {
      at = copyIn(src, wire.qopAt, qop.length, at);
      md5Work[at++] = 0x3a;
    }
  }
  return at;
}

function verifyMd5(input: DigestInput, method: string, ha1Hex: string, ha1Words: Int32Array | null): boolean {
  const wire = bytesFor(input);
  if (wire !== null) return verifyMd5Parsed(input, method, ha1Hex, ha1Words, wire);
  // From a plain object: the response is decoded with a check that every character is hex.
  if (!fits(input, method)) return false;
  const wellFormed = hexDecodeInto(input.response, expectedBytes) && ha1Hex.length === 32;
  md5Run(HA2_AT, putHa2Message(md5Work, method, input.uri));
  return md5ResponseMatches(putResponsePrefix(md5Work, md5View, input, putHa1Prepared(ha1Hex, ha1Words)), wellFormed);
}

function verifySha256(input: DigestInput, method: string, ha1Hex: string): boolean {
  const wellFormed = hexDecodeInto(input.response, expectedSha) && ha1Hex.length === 64;
  if (!fits(input, method)) return false;
  // HA2 first at offset 0; its state survives while the response message overwrites the buffer.
  let at = put(sha256Work, sha256View, method, 0);
  sha256Work[at++] = 0x3a;
  sha256Run(0, put(sha256Work, sha256View, input.uri, at));
  sha256StateBytes(sha256State, digestBytes, 0);
  at = putResponsePrefix(sha256Work, sha256View, input, putHa1(sha256Work, sha256View, ha1Hex));
  hexEncodeInto(digestBytes, 0, 32, sha256Work, at);
  sha256Run(0, at + 64);
  sha256StateBytes(sha256State, digestBytes, 0);
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= digestBytes[i] ^ expectedSha[i];
  return diff === 0 && wellFormed;
}

function verifySha(input: DigestInput, method: string, ha1Hex: string, algorithm: string): boolean {
  const wellFormed = hexDecodeInto(input.response, expectedSha) && ha1Hex.length === 64;
  if (!fits(input, method)) return false;
  const ha2Length = putHa2Message(shaWork, method, input.uri);
  const ha2 = hash(algorithm, shaWork.subarray(HA2_AT, HA2_AT + ha2Length), 'buffer');
  const at = putResponsePrefix(shaWork, shaView, input, putHa1(shaWork, shaView, ha1Hex));
  hexEncodeInto(ha2, 0, 32, shaWork, at);
  const digest = hash(algorithm, shaWork.subarray(0, at + 64), 'buffer');
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= digest[i] ^ expectedSha[i];
  return diff === 0 && wellFormed;
}
