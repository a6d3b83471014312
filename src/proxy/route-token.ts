// The token this edge puts in its Record-Route URI (parameter `ert`), and checks again on the Route
// of every in-dialog request. HMAC-SHA256 keyed with the nonce secret over the Call-ID, the caller's
// tag and this edge's identity (advertised host:port), truncated to 128 bits, base64url.
// Either party may send the in-dialog request, so the caller's tag is found in From or in To.
//
// Cost: a node createHmac per sign and per check was ~4-5% of the edge's CPU under SIPp load (the
// Hmac object alone half of it). The HMAC now runs on src/auth/sha256.ts from the key pads'
// precomputed midstates (no allocation, three compressions for a usual Call-ID), and a bounded
// FIFO cache per key remembers the MACs this process minted or checked, so the ACK and BYE of a
// call we signed cost a Map lookup and a constant-time compare. Same tokens as before.

import { createHash, createHmac } from 'node:crypto';
import { sha256Blocks, SHA256_IV, sha256Run, sha256State, sha256StateBytes, sha256Work, SHA256_WORK_BYTES } from '../auth/sha256.ts';

export const ROUTE_TOKEN_PARAM = 'ert';
const TOKEN_BYTES = 16;
const TOKEN_CHARS = 22; // base64url of 16 bytes, unpadded
const BLOCK = 64;
/** The message must leave room for SHA-256 padding in the work buffer; longer ones use createHmac. */
const MAX_MESSAGE = SHA256_WORK_BYTES - 72;

/** Default number of (Call-ID, tag) MACs remembered per key. */
const ROUTE_TOKEN_CACHE_SIZE = 8192;

export interface RouteTokenKey {
  secret: Buffer | string;
  /** This edge's identity as put in its Record-Route: "host:port". */
  identity: string;
  /** MACs remembered for this key (FIFO; default ROUTE_TOKEN_CACHE_SIZE, 0 disables). Read once. */
  cacheSize?: number;
}

/** Per key: the pads' midstates, the message prefix, and the MAC cache. */
class KeyState {
  readonly secret: Buffer;
  readonly inner = new Int32Array(8);
  readonly outer = new Int32Array(8);
  /** "rr1\n<identity>\n" in UTF-8. */
  readonly prefix: Buffer;
  readonly capacity: number;
  /** (Call-ID "\n" tag) → slot. Never holds more than `capacity` entries. */
  readonly index = new Map<string, number>();
  readonly names: (string | undefined)[];
  readonly macs: Int32Array;
  nextSlot = 0;

  constructor(key: RouteTokenKey) {
    this.secret = typeof key.secret === 'string' ? Buffer.from(key.secret, 'utf8') : Buffer.from(key.secret);
    this.prefix = Buffer.from(`rr1\n${key.identity}\n`, 'utf8');
    const k = this.secret.length > BLOCK ? createHash('sha256').update(this.secret).digest() : this.secret;
    const pads = Buffer.alloc(2 * BLOCK);
    for (let i = 0; i < BLOCK; i++) {
      const b = i < k.length ? k[i]! : 0;
      pads[i] = b ^ 0x36;
      pads[BLOCK + i] = b ^ 0x5c;
    }
    this.inner.set(SHA256_IV);
    sha256Blocks(this.inner, pads, 0, 1);
    this.outer.set(SHA256_IV);
    sha256Blocks(this.outer, pads, BLOCK, 1);
    pads.fill(0);
    this.capacity = Math.max(0, Math.floor(key.cacheSize ?? ROUTE_TOKEN_CACHE_SIZE));
    this.names = new Array<string | undefined>(this.capacity);
    this.macs = new Int32Array(this.capacity * 4);
  }
}

const states = new WeakMap<RouteTokenKey, KeyState>();

function stateOf(key: RouteTokenKey): KeyState {
  let s = states.get(key);
  if (s === undefined) {
    s = new KeyState(key);
    states.set(key, s);
  }
  return s;
}

/** The MAC of the last computeMac, as four big-endian words. */
const mac = new Int32Array(4);

/** Writes `text` as UTF-8 at `at` in the work buffer; returns the end, or -1 when it does not fit. */
function put(text: string, at: number): number {
  const work = sha256Work;
  const n = text.length;
  if (at + n > MAX_MESSAGE) return -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) {
      const bytes = Buffer.byteLength(text, 'utf8');
      if (at + bytes > MAX_MESSAGE) return -1;
      return at + work.write(text, at, 'utf8');
    }
    work[at + i] = c;
  }
  return at + n;
}

/** HMAC-SHA256(secret, "rr1\n" identity "\n" callId "\n" tag), first 128 bits, into `mac`. */
function computeMac(s: KeyState, callId: string, tag: string): void {
  const work = sha256Work;
  let end = s.prefix.length;
  s.prefix.copy(work, 0);
  end = put(callId, end);
  if (end >= 0 && end < MAX_MESSAGE) {
    work[end] = 0x0a;
    end = put(tag, end + 1);
  } else end = -1;
  if (end < 0) {
    // Longer than the work buffer (a Call-ID of kilobytes): the library HMAC, same result.
    const d = createHmac('sha256', s.secret).update(`${s.prefix.toString('utf8')}${callId}\n${tag}`).digest();
    for (let i = 0; i < 4; i++) mac[i] = d.readInt32BE(4 * i);
    return;
  }
  sha256Run(0, end, s.inner, BLOCK);
  sha256StateBytes(sha256State, work, 0);
  sha256Run(0, 32, s.outer, BLOCK);
  mac[0] = sha256State[0]!;
  mac[1] = sha256State[1]!;
  mac[2] = sha256State[2]!;
  mac[3] = sha256State[3]!;
}

/**
 * Fills `mac` from the cache for the pair named `name` (Call-ID "\n" tag; the MAC message is
 * "rr1\n" identity "\n" name, so a name stands for exactly one MAC). Cached MACs are true MACs:
 * the cache never changes an answer, only its cost.
 */
function find(s: KeyState, name: string): boolean {
  const at = s.index.get(name);
  if (at === undefined) return false;
  const m = s.macs;
  const o = at * 4;
  mac[0] = m[o]!;
  mac[1] = m[o + 1]!;
  mac[2] = m[o + 2]!;
  mac[3] = m[o + 3]!;
  return true;
}

/** Stores `mac` under `name`; FIFO, the oldest entry makes room, never more than `capacity`. */
function store(s: KeyState, name: string): void {
  const slot = s.nextSlot;
  s.nextSlot = slot + 1 === s.capacity ? 0 : slot + 1;
  const old = s.names[slot];
  if (old !== undefined) s.index.delete(old);
  s.names[slot] = name;
  s.index.set(name, slot);
  s.macs.set(mac, slot * 4);
}

/** Fills `mac` for (callId, tag), from the cache or computed and remembered. */
function macFor(s: KeyState, callId: string, tag: string): void {
  if (s.capacity === 0) {
    computeMac(s, callId, tag);
    return;
  }
  const name = `${callId}\n${tag}`;
  if (find(s, name)) return;
  computeMac(s, callId, tag);
  store(s, name);
}

const macBytes = Buffer.alloc(TOKEN_BYTES);

export function signRouteToken(key: RouteTokenKey, callId: string, fromTag: string): string {
  const s = stateOf(key);
  macFor(s, callId, fromTag);
  for (let i = 0; i < 4; i++) macBytes.writeInt32BE(mac[i]!, 4 * i);
  return macBytes.toString('base64url');
}

/** The token's 128 bits, decoded into `given`; false when it is not 22 base64url characters. */
const given = new Int32Array(4);
/** Room for more than a token's bytes, so that a longer decode shows as a wrong length. */
const tokenBytes = Buffer.alloc(TOKEN_BYTES + 2);
function decodeToken(token: string): boolean {
  if (token.length !== TOKEN_CHARS) return false;
  // node's decoder skips characters outside the alphabet: a token with any decodes short.
  if (tokenBytes.write(token, 0, 'base64url') !== TOKEN_BYTES) return false;
  for (let i = 0; i < 4; i++) given[i] = tokenBytes.readInt32BE(4 * i);
  return true;
}

/** Constant-time: the same work whatever the words. */
function macMatches(): boolean {
  return ((given[0]! ^ mac[0]!) | (given[1]! ^ mac[1]!) | (given[2]! ^ mac[2]!) | (given[3]! ^ mac[3]!)) === 0;
}

/**
 * Which tag the token was signed for: 'from' (the request goes caller → callee), 'to' (callee →
 * caller), or null when the token is not ours for this Call-ID and these tags.
 */
export function routeTokenDirection(
  key: RouteTokenKey,
  token: string,
  callId: string,
  fromTag: string | undefined,
  toTag: string | undefined,
): 'from' | 'to' | null {
  if (!decodeToken(token)) return null;
  const s = stateOf(key);
  const hasFrom = fromTag !== undefined && fromTag !== '';
  const hasTo = toTag !== undefined && toTag !== '';
  // Each comparison is constant-time; which tag matched (the direction) is not a secret. Known
  // pairs first, so a BYE from the callee of a call we signed computes nothing: when only the To
  // pair is known and matches, the From pair cannot match (it would be the same pair, and known).
  let fromName = '';
  let toName = '';
  if (s.capacity > 0) {
    if (hasFrom) {
      fromName = `${callId}\n${fromTag}`;
      if (find(s, fromName) && macMatches()) return 'from';
    }
    if (hasTo) {
      toName = `${callId}\n${toTag}`;
      if (find(s, toName) && macMatches()) return 'to';
    }
  }
  if (hasFrom && (fromName === '' || !s.index.has(fromName))) {
    computeMac(s, callId, fromTag);
    if (fromName !== '') store(s, fromName);
    if (macMatches()) return 'from';
  }
  if (hasTo && (toName === '' || !s.index.has(toName))) {
    computeMac(s, callId, toTag);
    if (toName !== '') store(s, toName);
    if (macMatches()) return 'to';
  }
  return null;
}
