// Digest response verification (RFC 7616 §3.4.1, RFC 2617 §3.2.2, RFC 2069 when qop is absent):
//   HA2      = H(method ":" digest-uri)
//   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   (qop=auth)
//   response = H(HA1 ":" nonce ":" HA2)                             (no qop)
// Messages are assembled in preallocated buffers, hex is written by table or arithmetic, and the
// received response is compared in constant time. MD5 and SHA-256 run on our JavaScript implementations
// (for these short messages they beat node:crypto, whose per-call overhead dominates, see
// bench/digest.bench.ts); SHA-512/256 (64-bit arithmetic) on node:crypto.
import { hash, randomBytes } from 'node:crypto';
import type { DigestCredentials } from './credentials.ts';
import type { Ha1Set } from './ha1.ts';
import { hexDecodeInto, hexEncodeInto, hexEncodeWordsLE, hexWordHigh, hexWordLow } from './hex.ts';
import { MD5_PAD_BYTES, MD5_WORK_BYTES, md5Run, md5State, md5Work } from './md5.ts';
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
/** The received MD5 response as ASCII, aligned so it can be read as eight words. */
const receivedArena = new ArrayBuffer(32);
const receivedHex = Buffer.from(receivedArena);
const receivedWords = new Int32Array(receivedArena);
/** Folds A-F to a-f (digits and a-f already have the bit). */
const LOWER = 0x20202020;
const expectedSha = new Uint8Array(32);
const digestBytes = new Uint8Array(32);

/** Stands in for the HA1 of an unknown user so that the work done matches a wrong password. */
const DUMMY_HA1: Ha1Set = {
  md5: randomBytes(16).toString('hex'),
  sha256: randomBytes(32).toString('hex'),
  sha512_256: randomBytes(32).toString('hex'),
};

/**
 * True when `input.response` is the response for `method`, the credentials' fields and the stored
 * HA1 of the user. Pass `ha1 = null` for an unknown user: the same computation runs on a dummy HA1
 * and the result is false. Never throws for any string input; oversized fields give false.
 */
export function verifyDigest(input: DigestInput, method: string, ha1: Ha1Set | null): boolean {
  const known = ha1 !== null;
  const set = known ? ha1 : DUMMY_HA1;
  let match: boolean;
  switch (input.algorithm) {
    case 'MD5':
      match = verifyMd5(input, method, set);
      break;
    case 'SHA-256':
      match = verifySha256(input, method, set.sha256);
      break;
    case 'SHA-512-256':
      match = verifySha(input, method, set.sha512_256, 'sha512-256');
      break;
    default:
      match = false;
  }
  return match && known;
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
 * Buffer's native UTF-8 writer (on Buffer.prototype since early Node, not in @types/node). A native
 * call costs about as much as copying a dozen characters in a JavaScript loop, so short fields (nc,
 * qop, method, most cnonces) are copied by a loop and longer ones (HA1, nonce, uri) natively.
 */
interface NativeWriter {
  utf8Write?(text: string, offset: number): number;
  latin1Write?(text: string, offset: number): number;
}
const nativeUtf8 = typeof (Buffer.prototype as NativeWriter).utf8Write === 'function';
const nativeLatin1 = typeof (Buffer.prototype as NativeWriter).latin1Write === 'function';
const LOOP_BELOW = 12;

/** Writes `text` as UTF-8 at `at`; returns the offset after it. The caps in fits() guarantee room. */
function put(buf: Buffer, text: string, at: number): number {
  const n = text.length;
  if (n < LOOP_BELOW) {
    let i = 0;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buf[at + i] = c;
    }
    if (i === n) return at + n;
  }
  return at + (nativeUtf8 ? (buf as NativeWriter & Buffer).utf8Write!(text, at) : buf.write(text, at, 'utf8'));
}

/**
 * Writes a stored HA1 (lowercase hex, ASCII) at 0; returns its length. Done the same way for every
 * user, known or not, so that no per-user cache makes a first attempt slower than the next.
 */
function putHa1(buf: Buffer, ha1Hex: string): number {
  return nativeLatin1 ? (buf as NativeWriter & Buffer).latin1Write!(ha1Hex, 0) : buf.write(ha1Hex, 0, 'latin1');
}

/** Writes the response message from `at` (after HA1) up to the ':' before HA2; returns the offset after it. */
function putResponsePrefix(buf: Buffer, input: DigestInput, at: number): number {
  buf[at++] = 0x3a;
  at = put(buf, input.nonce, at);
  buf[at++] = 0x3a;
  if (input.qop !== null) {
    at = put(buf, input.nc ?? '', at);
    buf[at++] = 0x3a;
    at = put(buf, input.cnonce ?? '', at);
    buf[at++] = 0x3a;
    at = put(buf, input.qop, at);
    buf[at++] = 0x3a;
  }
  return at;
}

function putHa2Message(buf: Buffer, method: string, uri: string): number {
  let at = put(buf, method, HA2_AT);
  buf[at++] = 0x3a;
  return put(buf, uri, at) - HA2_AT;
}

function verifyMd5(input: DigestInput, method: string, set: Ha1Set): boolean {
  // The response is compared as text, case folded, word by word, against our digest's hex. The
  // parser has checked it is hex; a non-hex look-alike could only match where the sender already
  // knows the right response.
  const response = input.response;
  const wellFormed = response.length === 32 && set.md5.length === 32;
  if (wellFormed) {
    if (nativeLatin1) (receivedHex as NativeWriter & Buffer).latin1Write!(response, 0);
    else receivedHex.write(response, 0, 'latin1');
  }
  if (!fits(input, method)) return false;
  md5Run(HA2_AT, putHa2Message(md5Work, method, input.uri));
  const at = putResponsePrefix(md5Work, input, putHa1(md5Work, set.md5));
  hexEncodeWordsLE(md5State, md5Work, at);
  // The response message ends at most 1.8 KB in: its padding stays below HA2_AT.
  if (at + 32 + MD5_PAD_BYTES > HA2_AT) return false;
  md5Run(0, at + 32);
  let diff = 0;
  for (let w = 0; w < 4; w++) {
    const v = md5State[w];
    diff |= ((receivedWords[2 * w] | LOWER) ^ hexWordLow(v)) | ((receivedWords[2 * w + 1] | LOWER) ^ hexWordHigh(v));
  }
  return diff === 0 && wellFormed;
}

function verifySha256(input: DigestInput, method: string, ha1Hex: string): boolean {
  const wellFormed = hexDecodeInto(input.response, expectedSha) && ha1Hex.length === 64;
  if (!fits(input, method)) return false;
  // HA2 first at offset 0; its state survives while the response message overwrites the buffer.
  let at = put(sha256Work, method, 0);
  sha256Work[at++] = 0x3a;
  sha256Run(0, put(sha256Work, input.uri, at));
  sha256StateBytes(sha256State, digestBytes, 0);
  at = putResponsePrefix(sha256Work, input, putHa1(sha256Work, ha1Hex));
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
  const at = putResponsePrefix(shaWork, input, putHa1(shaWork, ha1Hex));
  hexEncodeInto(ha2, 0, 32, shaWork, at);
  const digest = hash(algorithm, shaWork.subarray(0, at + 64), 'buffer');
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= digest[i] ^ expectedSha[i];
  return diff === 0 && wellFormed;
}
