// Stateless digest nonces. A nonce is base64url of 18 bytes:
//   issue time (uint32 seconds, big-endian) | 5 random bytes | first 9 bytes of
//   HMAC-SHA256(secret, time | random | realm | 0x00 | source address)
// Any node holding the same secret (EDGE_NONCE_SECRET) verifies it; nothing is stored. 18 bytes are
// exactly 24 base64url characters with no spare bits, so one nonce has one spelling (the replay guard
// keys on the text). Sizes: a 72-bit MAC makes online forgery hopeless within a nonce lifetime; 40
// random bits make two nonces for the same source in the same second practically never equal (and an
// equal pair only costs one client a fresh challenge); and 24 characters keep the usual qop=auth
// response message (HA1, nonce, nc, an 8-character cnonce as SIPp sends, qop, HA2) within two MD5
// blocks instead of three. HMAC runs as two one-shot SHA-256 calls over preallocated key pads; the
// MAC comparison is constant-time.
import { createHash, hash, randomFillSync } from 'node:crypto';

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
  /** ipad key block, then the message: time | random | realm | 0 | source. */
  readonly #inner: Buffer;
  readonly #messageAt: number;
  /** Offset in #inner where the source address goes. */
  readonly #sourceAt: number;
  /** opad key block, then the inner digest. */
  readonly #outer: Buffer;
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
    const realmBytes = Buffer.from(options.realm, 'utf8');
    this.#messageAt = BLOCK;
    this.#sourceAt = BLOCK + TIME_AND_RANDOM + realmBytes.length + 1;
    this.#inner = Buffer.alloc(this.#sourceAt + MAX_SOURCE * 3);
    this.#outer = Buffer.alloc(BLOCK + 32);
    for (let i = 0; i < BLOCK; i++) {
      const k = i < key.length ? key[i] : 0;
      this.#inner[i] = k ^ 0x36;
      this.#outer[i] = k ^ 0x5c;
    }
    key.fill(0);
    realmBytes.copy(this.#inner, BLOCK + TIME_AND_RANDOM);
    this.#inner[this.#sourceAt - 1] = 0;
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
    const mac = this.#mac(raw, source);
    if (mac === null) throw new RangeError('source address too long');
    mac.copy(raw, TIME_AND_RANDOM, 0, MAC_LENGTH);
    return raw.toString('base64url');
  }

  /** 'valid', 'stale' (expired or too far in the future) or 'invalid' (malformed, forged, other realm or source). */
  verify(nonce: string, source: string, nowMs: number = Date.now()): NonceVerdict {
    const raw = this.#decoded;
    if (!decodeNonce(nonce, raw)) return 'invalid';
    const mac = this.#mac(raw, source);
    if (mac === null) return 'invalid';
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

  /** HMAC over time | random (first TIME_AND_RANDOM bytes of `raw`), realm and source; null when the source is too long. */
  #mac(raw: Uint8Array, source: string): Buffer | null {
    if (source.length > MAX_SOURCE) return null;
    const inner = this.#inner;
    for (let i = 0; i < TIME_AND_RANDOM; i++) inner[this.#messageAt + i] = raw[i];
    let end = this.#sourceAt;
    for (let i = 0; i < source.length; i++) {
      const c = source.charCodeAt(i);
      if (c >= 0x80) {
        end = this.#sourceAt + inner.write(source, this.#sourceAt, 'utf8');
        break;
      }
      inner[end++] = c;
    }
    const innerDigest = hash('sha256', inner.subarray(0, end), 'buffer');
    innerDigest.copy(this.#outer, BLOCK);
    return hash('sha256', this.#outer, 'buffer');
  }
}
