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
// compression for the inner hash, one for the outer. When time | random | realm | 0x00 | source
// fits one block (an 8-byte realm leaves 37 bytes for the source: any IPv4 and most IPv6 text), the
// inner block is kept as message words with the realm and padding already in place, and the outer
// hash reads the inner digest where it lands, as the first half of its constant block. The MAC
// comparison is constant-time.
//
// A nonce usually comes back, in the client's second INVITE, to the node that minted it, within
// milliseconds. So each service also remembers the nonces it minted lately (a fixed table indexed
// by MAC bits, each mint overwriting its slot; nothing to expire or grow): a nonce found there,
// byte for byte (compared in constant time) and for the very source it was minted for, is one whose
// MAC we computed, and its check skips both compressions. Anything else (minted elsewhere, long
// ago, or forged) is checked by HMAC as before: the verdicts are the same either way.
import { createHash, randomFillSync } from 'node:crypto';
import { SHA256_IV, sha256Blocks, sha256Compress, sha256Run, sha256State, sha256Work } from './sha256.ts';

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
/** NonceService.check's answers for a nonce that is not valid. */
export const NONCE_STALE = -2;
export const NONCE_INVALID = -1;
const RAW_LENGTH = 18;
const RANDOM_LENGTH = 5;
const TIME_AND_RANDOM = 4 + RANDOM_LENGTH;
/** Slots of the table of nonces minted lately (5 words of raw bytes and a source each). */
const RECENT_SLOTS = 1 << 12;
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

const issuedScratch = new Uint8Array(RAW_LENGTH);

/** The recent-table slot of a nonce's raw bytes: MAC bits, uniform whoever sent them. */
function recentSlot(raw: Uint8Array): number {
  return ((raw[14] << 8) | raw[15]) & (RECENT_SLOTS - 1);
}

const CODES = new Uint8Array(64);
for (let i = 0; i < 64; i++) CODES[i] = ALPHABET.charCodeAt(i);

/** base64url of RAW_LENGTH bytes (what Buffer's toString('base64url') gives, without a native call). */
function encodeNonce(r: Uint8Array): string {
  const C = CODES;
  const v0 = (r[0] << 16) | (r[1] << 8) | r[2];
  const v1 = (r[3] << 16) | (r[4] << 8) | r[5];
  const v2 = (r[6] << 16) | (r[7] << 8) | r[8];
  const v3 = (r[9] << 16) | (r[10] << 8) | r[11];
  const v4 = (r[12] << 16) | (r[13] << 8) | r[14];
  const v5 = (r[15] << 16) | (r[16] << 8) | r[17];
  return String.fromCharCode(
    C[v0 >>> 18], C[(v0 >>> 12) & 63], C[(v0 >>> 6) & 63], C[v0 & 63],
    C[v1 >>> 18], C[(v1 >>> 12) & 63], C[(v1 >>> 6) & 63], C[v1 & 63],
    C[v2 >>> 18], C[(v2 >>> 12) & 63], C[(v2 >>> 6) & 63], C[v2 & 63],
    C[v3 >>> 18], C[(v3 >>> 12) & 63], C[(v3 >>> 6) & 63], C[v3 & 63],
    C[v4 >>> 18], C[(v4 >>> 12) & 63], C[(v4 >>> 6) & 63], C[v4 & 63],
    C[v5 >>> 18], C[(v5 >>> 12) & 63], C[(v5 >>> 6) & 63], C[v5 & 63],
  );
}

/** Issue time in seconds of a well-formed nonce (MAC not checked), or -1. */
export function nonceIssuedAt(nonce: string): number {
  const raw = issuedScratch;
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
  /** The MAC (first MAC_LENGTH bytes of the HMAC) as big-endian words: 4 + 4 + 1 (top byte) bytes. */
  readonly #mac = new Int32Array(3);
  /**
   * The inner hash's one-block message as big-endian words, written through #innerBytes (byte i at
   * index i ^ 3 on this little-endian platform): realm and separator stay in place from
   * #sourceAt back to TIME_AND_RANDOM; time, random, source and padding are written per MAC.
   */
  readonly #innerWords = new Int32Array(16);
  readonly #innerBytes = new Uint8Array(this.#innerWords.buffer);
  /** Where the source starts in the inner block, and the longest source the block holds. */
  readonly #sourceAt: number;
  readonly #maxBlockSource: number;
  /** The outer hash's block: the inner digest (words 0-7), then constant padding for 96 bytes. */
  readonly #outerWords = new Int32Array(16);
  readonly #raw = Buffer.alloc(RAW_LENGTH);
  /** Nonces minted lately: RAW_LENGTH bytes as 5 big-endian words (the last holds 2), and the source. */
  readonly #recent = new Int32Array(RECENT_SLOTS * 5);
  readonly #recentSource: (string | null)[] = new Array<string | null>(RECENT_SLOTS).fill(null);
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
    this.#sourceAt = TIME_AND_RANDOM + this.#realmPart.length;
    this.#maxBlockSource = BLOCK - 9 - this.#sourceAt;
    for (let i = 0; i < this.#realmPart.length && TIME_AND_RANDOM + i < BLOCK; i++) {
      this.#innerBytes[(TIME_AND_RANDOM + i) ^ 3] = this.#realmPart[i];
    }
    this.#outerWords[8] = 0x80000000 | 0;
    this.#outerWords[15] = (BLOCK + 32) * 8;
  }

  /** A fresh nonce bound to the realm and the request's source address (from the socket). */
  mint(source: string, nowMs: number = Date.now()): string {
    const raw = this.#raw;
    const seconds = Math.floor(nowMs / 1000) >>> 0;
    raw[0] = seconds >>> 24;
    raw[1] = seconds >>> 16;
    raw[2] = seconds >>> 8;
    raw[3] = seconds;
    const pool = this.#randomPool;
    if (this.#randomAt === pool.length) {
      randomFillSync(pool);
      this.#randomAt = 0;
    }
    const from = this.#randomAt;
    for (let i = 0; i < RANDOM_LENGTH; i++) raw[4 + i] = pool[from + i];
    this.#randomAt = from + RANDOM_LENGTH;
    if (!this.#computeMac(raw, source)) throw new RangeError('source address too long');
    const mac = this.#mac;
    const m0 = mac[0], m1 = mac[1];
    raw[9] = m0 >>> 24;
    raw[10] = m0 >>> 16;
    raw[11] = m0 >>> 8;
    raw[12] = m0;
    raw[13] = m1 >>> 24;
    raw[14] = m1 >>> 16;
    raw[15] = m1 >>> 8;
    raw[16] = m1;
    raw[17] = mac[2] >>> 24;
    const slot = recentSlot(raw);
    const at = slot * 5;
    const recent = this.#recent;
    recent[at] = (raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3];
    recent[at + 1] = (raw[4] << 24) | (raw[5] << 16) | (raw[6] << 8) | raw[7];
    recent[at + 2] = (raw[8] << 24) | (m0 >>> 8);
    recent[at + 3] = (m0 << 24) | (m1 >>> 8);
    recent[at + 4] = ((m1 & 0xff) << 8) | raw[17];
    this.#recentSource[slot] = source;
    return encodeNonce(raw);
  }

  /** 'valid', 'stale' (expired or too far in the future) or 'invalid' (malformed, forged, other realm or source). */
  verify(nonce: string, source: string, nowMs: number = Date.now()): NonceVerdict {
    const issued = this.check(nonce, source, nowMs);
    return issued >= 0 ? 'valid' : issued === NONCE_STALE ? 'stale' : 'invalid';
  }

  /**
   * verify, answering with the issue time in seconds of a valid nonce (what nonceIssuedAt would
   * decode again), else NONCE_STALE or NONCE_INVALID.
   */
  check(nonce: string, source: string, nowMs: number = Date.now()): number {
    const raw = this.#decoded;
    if (!decodeNonce(nonce, raw)) return NONCE_INVALID;
    if (!this.#mintedHere(raw, source)) {
      if (!this.#computeMac(raw, source)) return NONCE_INVALID;
      const mac = this.#mac;
      const diff =
        (mac[0] ^ ((raw[9] << 24) | (raw[10] << 16) | (raw[11] << 8) | raw[12])) |
        (mac[1] ^ ((raw[13] << 24) | (raw[14] << 16) | (raw[15] << 8) | raw[16])) |
        ((mac[2] >>> 24) ^ raw[17]);
      if (diff !== 0) return NONCE_INVALID;
    }
    const issued = ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3]) >>> 0;
    const now = nowMs / 1000;
    if (now - issued > this.ttlSeconds || issued - now > this.#skew) return NONCE_STALE;
    return issued;
  }

  /** True when `raw` is, byte for byte, a nonce this service minted lately for `source`. */
  #mintedHere(raw: Uint8Array, source: string): boolean {
    const slot = recentSlot(raw);
    if (this.#recentSource[slot] !== source) return false;
    const at = slot * 5;
    const recent = this.#recent;
    const diff =
      (recent[at] ^ ((raw[0] << 24) | (raw[1] << 16) | (raw[2] << 8) | raw[3])) |
      (recent[at + 1] ^ ((raw[4] << 24) | (raw[5] << 16) | (raw[6] << 8) | raw[7])) |
      (recent[at + 2] ^ ((raw[8] << 24) | (raw[9] << 16) | (raw[10] << 8) | raw[11])) |
      (recent[at + 3] ^ ((raw[12] << 24) | (raw[13] << 16) | (raw[14] << 8) | raw[15])) |
      (recent[at + 4] ^ ((raw[16] << 8) | raw[17]));
    return diff === 0;
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
    const n = source.length;
    if (n > MAX_SOURCE) return false;
    if (n > this.#maxBlockSource) return this.#computeMacLong(raw, source);
    const bytes = this.#innerBytes;
    for (let i = 0; i < TIME_AND_RANDOM; i++) bytes[i ^ 3] = raw[i];
    let at = this.#sourceAt;
    for (let i = 0; i < n; i++) {
      const c = source.charCodeAt(i);
      if (c >= 0x80) return this.#computeMacLong(raw, source);
      bytes[at++ ^ 3] = c;
    }
    const length = at;
    bytes[at++ ^ 3] = 0x80;
    while (at < BLOCK - 8) bytes[at++ ^ 3] = 0;
    const words = this.#innerWords;
    words[14] = 0;
    words[15] = (BLOCK + length) * 8;
    const outer = this.#outerWords;
    sha256Compress(this.#innerStart, outer, words, 0);
    return this.#outerMac(outer);
  }

  /** The outer hash over the inner digest in `outer` (words 0-7); its first 96 bits into #mac. */
  #outerMac(outer: Int32Array): boolean {
    sha256Compress(this.#outerStart, sha256State, outer, 0);
    const mac = this.#mac;
    mac[0] = sha256State[0];
    mac[1] = sha256State[1];
    mac[2] = sha256State[2];
    return true;
  }

  /** #computeMac for a message longer than one block (a long realm or source, or a non-ASCII source). */
  #computeMacLong(raw: Uint8Array, source: string): boolean {
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
    const outer = this.#outerWords;
    for (let i = 0; i < 8; i++) outer[i] = sha256State[i];
    return this.#outerMac(outer);
  }
}
