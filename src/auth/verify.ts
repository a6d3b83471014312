// Digest response verification (RFC 7616 §3.4.1, RFC 2617 §3.2.2, RFC 2069 when qop is absent):
//   HA2      = H(method ":" digest-uri)
//   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)   (qop=auth)
//   response = H(HA1 ":" nonce ":" HA2)                             (no qop)
// Messages are assembled in preallocated buffers, hex is written by table, the received response is
// decoded once and compared in constant time. MD5 runs on our JavaScript implementation (fastest for
// these short messages, see bench/digest.bench.ts); SHA-256 and SHA-512/256 on node:crypto.
import { hash, randomBytes } from 'node:crypto';
import type { DigestCredentials } from './credentials.ts';
import type { Ha1Set } from './ha1.ts';
import { hexDecodeInto, hexEncodeInto, hexEncodeWordsLE } from './hex.ts';
import { MD5_PAD_BYTES, MD5_WORK_BYTES, md5Run, md5State, md5Work } from './md5.ts';

/** Fields of credentials that enter the computation (DigestCredentials satisfies it). */
export type DigestInput = Pick<DigestCredentials, 'nonce' | 'uri' | 'response' | 'algorithm' | 'qop' | 'nc' | 'cnonce'>;

// Work buffer layout (both for md5Work and shaWork): response message at 0, HA2 message at HA2_AT.
const HA2_AT = 2048;
/** Caps in characters, so that every message fits its region even at 3 UTF-8 bytes per character. */
const MAX_METHOD = 32;
const MAX_URI = 1024;
const MAX_SHORT = 256;

const shaWork = Buffer.alloc(MD5_WORK_BYTES);
const expectedMd5 = new Uint8Array(16);
const expectedMd5Words = new Int32Array(expectedMd5.buffer);
const expectedSha = new Uint8Array(32);

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
      match = verifyMd5(input, method, set.md5);
      break;
    case 'SHA-256':
      match = verifySha(input, method, set.sha256, 'sha256');
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
    (input.nc === null || input.nc.length <= MAX_SHORT) &&
    (input.qop === null || input.qop.length <= MAX_SHORT)
  );
}

/** Writes `text` at `at` (ASCII by a loop, anything else as UTF-8); returns the offset after it. */
function put(buf: Buffer, text: string, at: number): number {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return at - i + buf.write(text, at - i, 'utf8');
    buf[at++] = c;
  }
  return at;
}

/** Writes the response message up to and including the ':' before HA2; returns the offset after it. */
function putResponsePrefix(buf: Buffer, input: DigestInput, ha1Hex: string): number {
  let at = put(buf, ha1Hex, 0);
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

function verifyMd5(input: DigestInput, method: string, ha1Hex: string): boolean {
  const wellFormed = hexDecodeInto(input.response, expectedMd5) && ha1Hex.length === 32;
  if (!fits(input, method)) return false;
  md5Run(HA2_AT, putHa2Message(md5Work, method, input.uri));
  const at = putResponsePrefix(md5Work, input, ha1Hex);
  hexEncodeWordsLE(md5State, md5Work, at);
  // The response message ends at most 1.8 KB in: its padding stays below HA2_AT.
  if (at + 32 + MD5_PAD_BYTES > HA2_AT) return false;
  md5Run(0, at + 32);
  const diff =
    (md5State[0] ^ expectedMd5Words[0]) |
    (md5State[1] ^ expectedMd5Words[1]) |
    (md5State[2] ^ expectedMd5Words[2]) |
    (md5State[3] ^ expectedMd5Words[3]);
  return diff === 0 && wellFormed;
}

function verifySha(input: DigestInput, method: string, ha1Hex: string, algorithm: string): boolean {
  const wellFormed = hexDecodeInto(input.response, expectedSha) && ha1Hex.length === 64;
  if (!fits(input, method)) return false;
  const ha2Length = putHa2Message(shaWork, method, input.uri);
  const ha2 = hash(algorithm, shaWork.subarray(HA2_AT, HA2_AT + ha2Length), 'buffer');
  const at = putResponsePrefix(shaWork, input, ha1Hex);
  hexEncodeInto(ha2, 0, 32, shaWork, at);
  const digest = hash(algorithm, shaWork.subarray(0, at + 64), 'buffer');
  let diff = 0;
  for (let i = 0; i < 32; i++) diff |= digest[i] ^ expectedSha[i];
  return diff === 0 && wellFormed;
}
