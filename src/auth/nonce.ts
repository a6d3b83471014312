// Stateless digest nonces. A nonce is base64url of 18 bytes:
//   issue time (uint32 seconds, big-endian) | 5 random bytes | first 9 bytes of
//   HMAC-SHA256(secret, time | random | realm | 0x00 | source address)
// Any node holding the same secret (EDGE_NONCE_SECRET) verifies it; nothing is stored. 18 bytes are
// exactly 24 base64url characters with no spare bits, so one nonce has one spelling (the replay guard
// keys on the text). Sizes: a 72-bit MAC makes online forgery hopeless within a nonce lifetime; 40
// random bits make two nonces for the same source in the same second practically never equal (and an
// equal pair only costs one client a fresh challenge); and 24 characters keep the usual qop=auth
// response message (HA1, nonce, nc, an 8-character cnonce as SIPp sends, qop, HA2) within two MD5
// blocks instead of three. HMAC runs on our SHA-256 from the key pads' precomputed midstates: one
// compression for the inner hash, one for the outer. The MAC comparison is constant-time.
import { createHash, randomFillSync } from 'node:crypto';
import { SHA256_IV, sha256Blocks, sha256Run, sha256State, sha256StateBytes, sha256Work } from './sha256.ts';

export type NonceVerdict = 'valid' | 'stale' | 'invalid';

export interface NonceOptions {
  /** HMAC key (EDGE_NONCE_SECRET). Strings are taken as UTF-8. */
  secret: string | Uint8Array;
  /** Digest realm the nonces are issued for. */
  realm: string;
  /** Lifetime (EDGE_NONCE_TTL_S). */
  ttlSeconds: number;
  /** Tolerated clock difference between nodes for nonces that appear issued in the future. Default 5 s. */
  maxFutureSkewSeconds?: number;
}

export const NONCE_LENGTH = 24;
const RAW_LENGTH = 18;
const RANDOM_LENGTH = 5;
const TIME_AND_RANDOM = 4 + RANDOM_LENGTH;
const MAC_LENGTH = 9;
const BLOCK = 64;
/** Longest source address text (IPv6 with zone) accepted into the MAC. */
const MAX_SOURCE = 64;
/** Longest realm, in UTF-8 bytes. */
const MAX_REALM = 1024;

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const SEXTET = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) SEXTET[ALPHABET.charCodeAt(i)] = i;

/** Strict base64url decode of exactly NONCE_LENGTH characters into `out` (RAW_LENGTH bytes). */
function decodeNonce(text: string, out: Uint8Array): boolean {
  if (text.length !== NONCE_LENGTH) return false;
  for (let i = 0, o = 0; i < NONCE_LENGTH; i += 4, o += 3) {
    const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2), c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 128) return false;
    const a = SEXTET[c0], b = SEXTET[c1], c = SEXTET[c2], d = SEXTET[c3];
    if ((a | b | c | d) < 0) return false;
    const v = (a << 18) | (b << 12) | (c << 6) | d;
    out[o] = v >>> 16;
    out[o + 1] = (v >>> 8) & 0xff;
    out[o + 2] = v & 0xff;
  }
  return true;
}

/** Issue time in seconds of a well-formed nonce (MAC not checked), or -1. */
export function nonceIssuedAt(nonce: string): number {
  const raw = new Uint8Array(RAW_LENGTH);
  if (!decodeNonce(nonce, raw)) return -1;
  return ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
}

export class NonceService {
  readonly realm: string;
  readonly ttlSeconds: number;
  readonly #skew: number;
  /** SHA-256 states after the ipad and opad key blocks. */
  readonly #innerStart = new Int32Array(8);
  readonly #outerStart = new Int32Array(8);
  /** Realm bytes followed by the 0x00 separator. */
  readonly #realmPart: Buffer;
  readonly #mac = new Uint8Array(32);
  readonly #raw = Buffer.alloc(RAW_LENGTH);
  readonly #decoded = new Uint8Array(RAW_LENGTH);
  readonly #randomPool = Buffer.alloc(RANDOM_LENGTH * 800);
  #randomAt = this.#randomPool.length;

  constructor(options: NonceOptions) {
    if (!(options.ttlSeconds > 0)) throw new RangeError('nonce ttlSeconds must be positive');
    this.realm = options.realm;
    this.ttlSeconds = options.ttlSeconds;
    this.#skew = options.maxFutureSkewSeconds ?? 5;
    let key: Buffer = typeof options.secret === 'string' ? Buffer.from(options.secret, 'utf8') : Buffer.from(options.secret);
    if (key.length === 0) throw new RangeError('nonce secret must not be empty');
    if (key.length > BLOCK) key = createHash('sha256').update(key).digest();
    const pads = Buffer.alloc(2 * BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? key[i] : 0;
      pads[i] = k ^ 0x36;
      pads[BLOCK + i] = k ^ 0x5c;
    }
    this.#innerStart.set(SHA256_IV);
    sha256Blocks(this.#innerStart, pads, 0, 1);
    this.#outerStart.set(SHA256_IV);
    sha256Blocks(this.#outerStart, pads, BLOCK, 1);
    key.fill(0);
    pads.fill(0);
    const realmBytes = Buffer.from(options.realm, 'utf8');
    if (realmBytes.length > MAX_REALM) throw new RangeError('realm too long');
    this.#realmPart = Buffer.concat([realmBytes, Buffer.of(0)]);
  }

  /** A fresh nonce bound to the realm and the request's source address (from the socket). */
  mint(source: string, nowMs: number = Date.now()): string {
    const raw = this.#raw;
    const seconds = Math.floor(nowMs / 1000);
    raw.writeUInt32BE(seconds >>> 0, 0);
    if (this.#randomAt === this.#randomPool.length) {
      randomFillSync(this.#randomPool);
      this.#randomAt = 0;
    }
    this.#randomPool.copy(raw, 4, this.#randomAt, this.#randomAt + RANDOM_LENGTH);
    this.#randomAt += RANDOM_LENGTH;
    if (!this.#computeMac(raw, source)) throw new RangeError('source address too long');
    for (let i = 0; i < MAC_LENGTH; i++) raw[TIME_AND_RANDOM + i] = this.#mac[i];
    return raw.toString('base64url');
  }

  /** 'valid', 'stale' (expired or too far in the future) or 'invalid' (malformed, forged, other realm or source). */
  verify(nonce: string, source: string, nowMs: number = Date.now()): NonceVerdict {
    const raw = this.#decoded;
    if (!decodeNonce(nonce, raw)) return 'invalid';
    if (!this.#computeMac(raw, source)) return 'invalid';
    const mac = this.#mac;
    let diff = 0;
    for (let i = 0; i < MAC_LENGTH; i++) diff |= mac[i] ^ raw[TIME_AND_RANDOM + i];
    if (diff !== 0) return 'invalid';
    const issued = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
    const now = nowMs / 1000;
    if (now - issued > this.ttlSeconds || issued - now > this.#skew) return 'stale';
    return 'valid';
  }

  /** When a nonce minted at `issuedAtSeconds` stops being valid (seconds). */
  expiresAt(issuedAtSeconds: number): number {
    return issuedAtSeconds + this.ttlSeconds;
  }

  /**
   * HMAC over time | random (first TIME_AND_RANDOM bytes of `raw`), realm and source, into #mac;
   * false when the source is too long.
   */
  #computeMac(raw: Uint8Array, source: string): boolean {
    if (source.length > MAX_SOURCE) return false;
    const work = sha256Work;
    for (let i = 0; i < TIME_AND_RANDOM; i++) work[i] = raw[i];
    let end = TIME_AND_RANDOM + this.#realmPart.copy(work, TIME_AND_RANDOM);
    const sourceAt = end;
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c >= 0x80) {
        end = sourceAt + work.write(source, sourceAt, 'utf8');
        break;
      }
      work[end++] = c;
    }
    sha256Run(0, end, this.#innerStart, BLOCK);
    sha256StateBytes(sha256State, work, 0);
    sha256Run(0, 32, this.#outerStart, BLOCK);
    sha256StateBytes(sha256State, this.#mac, 0);
    return true;
  }
}
