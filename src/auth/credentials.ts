// Parser for the value of an Authorization or Proxy-Authorization header carrying Digest credentials
// (RFC 3261 §25.1 dig-resp, RFC 7616 §3.4). Scans character codes once, without regular expressions;
// every failure is a typed result, never an exception. Values are taken as the SIP layer decoded
// them; quoted values are unescaped (quoted-pair) before use.
import { algorithmFromName, responseHexLength, type DigestAlgorithm } from './algorithm.ts';

/** Digest credentials for one realm, validated for our verification. */
export interface DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  /** The digest-uri as sent (a sip: or sips: URI; need not equal the Request-URI). */
  uri: string;
  /** Hex digits as sent (either case), length fitting the algorithm. */
  response: string;
  /** MD5 when the algorithm parameter is absent. */
  algorithm: DigestAlgorithm;
  /** The qop value as sent ("auth" in any case), or null for RFC 2069 style credentials. */
  qop: string | null;
  /** The nonce-count as sent (8 hex digits), or null without qop. */
  nc: string | null;
  /** nonce-count as a number (1..2^32-1), or 0 without qop. */
  ncValue: number;
  /** Client nonce, or null without qop. */
  cnonce: string | null;
  opaque: string | null;
}

export type CredentialsError =
  /** An authorization scheme other than Digest (ignored by selection). */
  | 'not-digest'
  /** Not the auth-param grammar. */
  | 'syntax'
  | 'duplicate-parameter'
  | 'missing-parameter'
  /** nc or cnonce without qop, or userhash (unsupported). */
  | 'unexpected-parameter'
  | 'unsupported-algorithm'
  | 'unsupported-qop'
  /** A parameter value of the wrong form (response, nc, uri, username*). */
  | 'bad-value'
  | 'too-long';

export type CredentialsResult =
  | { ok: true; credentials: DigestCredentials }
  | { ok: false; error: CredentialsError };

export type SelectedCredentials = CredentialsResult | { ok: false; error: 'none' };

/** Caps (characters). */
export const MAX_CREDENTIALS_LENGTH = 4096;
const MAX_PARAMS = 32;
const MAX_VALUE = 256;
const MAX_URI = 1024;

// Bits for parameters we track (duplicates rejected).
const USERNAME = 1;
const REALM = 2;
const NONCE = 4;
const URI = 8;
const RESPONSE = 16;
const ALGORITHM = 32;
const CNONCE = 64;
const OPAQUE = 128;
const QOP = 256;
const NC = 512;
const USERNAME_EXT = 1024;
const USERHASH = 2048;
const REQUIRED = USERNAME | REALM | NONCE | URI | RESPONSE;

/** RFC 7230 tchar, by character code < 128. */
const TCHAR = new Uint8Array(128);
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;
for (const ch of "!#$%&'*+-.^_`|~") TCHAR[ch.charCodeAt(0)] = 1;

function isTchar(c: number): boolean {
  return c < 128 && TCHAR[c] === 1;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09) break;
    i++;
  }
  return i;
}

function bitFor(lowerName: string): number {
  switch (lowerName) {
    case 'username':
      return USERNAME;
    case 'realm':
      return REALM;
    case 'nonce':
      return NONCE;
    case 'uri':
      return URI;
    case 'response':
      return RESPONSE;
    case 'algorithm':
      return ALGORITHM;
    case 'cnonce':
      return CNONCE;
    case 'opaque':
      return OPAQUE;
    case 'qop':
      return QOP;
    case 'nc':
      return NC;
    case 'username*':
      return USERNAME_EXT;
    case 'userhash':
      return USERHASH;
    default:
      return 0;
  }
}

function startsWithSipScheme(uri: string): boolean {
  const lower = uri.length >= 5 ? uri.slice(0, 5).toLowerCase() : uri.toLowerCase();
  return lower.startsWith('sip:') || lower === 'sips:';
}

function isHex(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const lower = c | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (lower >= 0x61 && lower <= 0x66))) return false;
  }
  return true;
}

/** RFC 8187 ext-value with charset UTF-8 (the only one RFC 7616 allows), or null. */
function decodeExtValue(text: string): string | null {
  const first = text.indexOf("'");
  const second = first < 0 ? -1 : text.indexOf("'", first + 1);
  if (second < 0 || text.slice(0, first).toLowerCase() !== 'utf-8') return null;
  const encoded = text.slice(second + 1);
  for (let i = 0; i < encoded.length; i++) {
    const c = encoded.charCodeAt(i);
    if (c !== 0x25 && !isTchar(c)) return null;
  }
  try {
    return decodeURIComponent(encoded);
  } catch {
    return null;
  }
}

/**
 * Where the fields the verifier hashes sit in the bytes of the value they were parsed from, so that
 * verification copies bytes instead of reading strings again. Kept with the field strings they were
 * taken for: a verifier uses the bytes only while the credentials still carry those same strings.
 */
export interface CredentialBytes {
  /** The credentials value as sent (ASCII), then BYTES_SLACK spare bytes, for 4-byte reads. */
  readonly view: DataView;
  readonly nonce: string;
  readonly uri: string;
  readonly response: string;
  readonly qop: string | null;
  readonly nc: string | null;
  readonly cnonce: string | null;
  readonly nonceAt: number;
  readonly uriAt: number;
  readonly responseAt: number;
  readonly qopAt: number;
  readonly ncAt: number;
  readonly cnonceAt: number;
}

/** What parseCredentials returns: plain DigestCredentials fields, plus the value's bytes kept privately. */
class ParsedCredentials implements DigestCredentials {
  username: string;
  realm: string;
  nonce: string;
  uri: string;
  response: string;
  algorithm: DigestAlgorithm;
  qop: string | null;
  nc: string | null;
  ncValue: number;
  cnonce: string | null;
  opaque: string | null;
  readonly #bytes: CredentialBytes | null;

  constructor(
    username: string,
    realm: string,
    nonce: string,
    uri: string,
    response: string,
    algorithm: DigestAlgorithm,
    qop: string | null,
    nc: string | null,
    ncValue: number,
    cnonce: string | null,
    opaque: string | null,
    bytes: CredentialBytes | null,
  ) {
    this.username = username;
    this.realm = realm;
    this.nonce = nonce;
    this.uri = uri;
    this.response = response;
    this.algorithm = algorithm;
    this.qop = qop;
    this.nc = nc;
    this.ncValue = ncValue;
    this.cnonce = cnonce;
    this.opaque = opaque;
    this.#bytes = bytes;
  }

  static bytesOf(input: object): CredentialBytes | null {
    return #bytes in input ? (input as ParsedCredentials).#bytes : null;
  }
}

/**
 * The bytes behind credentials that parseCredentials produced from an ASCII value, or null (other
 * objects, escaped fields). The caller must still check that the fields are the recorded strings.
 */
export function credentialBytes(input: object): CredentialBytes | null {
  return ParsedCredentials.bytesOf(input);
}

// ---- the byte parser

// Field ids (bit = 1 << id) and their names, lowercase.
const F_USERNAME = 0;
const F_REALM = 1;
const F_NONCE = 2;
const F_URI = 3;
const F_RESPONSE = 4;
const F_ALGORITHM = 5;
const F_CNONCE = 6;
const F_OPAQUE = 7;
const F_QOP = 8;
const F_NC = 9;
const F_USERNAME_EXT = 10;
const F_USERHASH = 11;
/** Fields whose bytes the verifier reads; an escaped one among them means no CredentialBytes. */
const HASHED = NONCE | URI | RESPONSE | QOP | NC | CNONCE;

/** Byte classes inside a quoted-string: 0 qdtext, 1 '"', 2 CR or LF, 3 '\'. */
const QUOTED = new Uint8Array(256);
QUOTED[0x22] = 1;
QUOTED[0x0d] = 2;
QUOTED[0x0a] = 2;
QUOTED[0x5c] = 3;
/** RFC 7230 tchar, by byte. */
const TCHAR_BYTE = new Uint8Array(256);
TCHAR_BYTE.set(TCHAR);

/** Bytes after a parsed value that a reader may touch (CredentialBytes.bytes has them). */
const BYTES_SLACK = 4;

/**
 * Parsed values live in slabs: each parse writes its value at the end of the current slab, and
 * credentials with CredentialBytes keep that space (and so the slab) alive, as a pooled Buffer keeps
 * Node's 8 KiB pool alive: a retained credentials object pins at most one slab of that size. One
 * DataView per slab, none per parse.
 */
const SLAB_BYTES = 8 * 1024;
let slab = Buffer.alloc(SLAB_BYTES);
let slabView = new DataView(slab.buffer, slab.byteOffset, SLAB_BYTES);
let slabAt = 0;

function newSlab(): void {
  slab = Buffer.alloc(SLAB_BYTES);
  slabView = new DataView(slab.buffer, slab.byteOffset, SLAB_BYTES);
  slabAt = 0;
}

const fieldAt = new Int32Array(12);
const fieldEnd = new Int32Array(12);
/** Unescaped text of a field whose quoted value had quoted-pairs (else null). */
const fieldText: (string | null)[] = new Array<string | null>(12).fill(null);

/** Buffer's native UTF-8 writer (on Buffer.prototype, not in @types/node). */
interface NativeWriter {
  utf8Write?(text: string, offset: number, length: number): number;
}
const nativeUtf8 = typeof (Buffer.prototype as NativeWriter).utf8Write === 'function';

/** bytes[at, at + lower.length) equals `lower` (lowercase ASCII), letters compared case-insensitively. */
function sameLower(bytes: Uint8Array, at: number, length: number, lower: string): boolean {
  if (length !== lower.length) return false;
  for (let k = 0; k < length; k++) {
    const e = lower.charCodeAt(k);
    let b = bytes[at + k];
    if (e >= 0x61 && e <= 0x7a) b |= 0x20;
    if (b !== e) return false;
  }
  return true;
}

/** ASCII letters folded to lowercase, other bytes unchanged. */
const FOLD = new Uint8Array(256);
for (let c = 0; c < 256; c++) FOLD[c] = c >= 0x41 && c <= 0x5a ? c | 0x20 : c;

/** Four characters of a lowercase name as a little-endian word. */
function word(text: string, at: number): number {
  let w = 0;
  for (let k = 3; k >= 0; k--) w = (w << 8) | (at + k < text.length ? text.charCodeAt(at + k) : 0);
  return w;
}

// Parameter names by length and folded words (bytes 0-3, 4-7, 8).
const W_NC = word('nc', 0);
const W_URI = word('uri', 0);
const W_QOP = word('qop', 0);
const W_NONC = word('nonce', 0);
const W_REAL = word('realm', 0);
const W_CNON = word('cnonce', 0);
const W_OPAQ = word('opaque', 0);
const W_USER = word('username', 0);
const W_NAME = word('username', 4);
const W_RESP = word('response', 0);
const W_ONSE = word('response', 4);
const W_HASH = word('userhash', 4);
const W_ALGO = word('algorithm', 0);
const W_RITH = word('algorithm', 4);
const W_DIGE = word('digest', 0);
const W_MD5 = word('md5', 0);
const W_AUTH = word('auth', 0);
const W_SIP_ = word('sip:', 0);
const W_SIPS = word('sips', 0);

/** The folded bytes[at, at + 4) (bytes at or past `end` as 0) as a little-endian word. */
function foldedWord(bytes: Uint8Array, at: number, end: number): number {
  const n = end - at;
  if (n >= 4) return FOLD[bytes[at]] | (FOLD[bytes[at + 1]] << 8) | (FOLD[bytes[at + 2]] << 16) | (FOLD[bytes[at + 3]] << 24);
  let w = 0;
  for (let k = n - 1; k >= 0; k--) w = (w << 8) | FOLD[bytes[at + k]];
  return w;
}

/**
 * The field id of the parameter name at bytes[at, end), or -1. Words are read four bytes at a time
 * (the value's bytes are followed by BYTES_SLACK spare ones) and letters folded by setting 0x20 in
 * every byte: the names are lowercase letters (username*'s '*' is compared as is), and only A-Z and
 * a-z fold onto a-z, so a folded word equals a name's word exactly when the bytes spell the name in
 * some case. Bytes past the name are masked off.
 */
function fieldOf(view: DataView, at: number, end: number): number {
  const length = end - at;
  if (length < 2 || length > 9) return -1;
  const w0 = view.getInt32(at, true) | 0x20202020;
  switch (length) {
    case 2:
      return (w0 & 0xffff) === W_NC ? F_NC : -1;
    case 3: {
      const w = w0 & 0xffffff;
      return w === W_URI ? F_URI : w === W_QOP ? F_QOP : -1;
    }
    case 5: {
      const last = view.getUint8(at + 4) | 0x20;
      return w0 === W_NONC && last === 0x65 ? F_NONCE : w0 === W_REAL && last === 0x6d ? F_REALM : -1;
    }
    case 6: {
      const w1 = (view.getInt32(at + 4, true) | 0x20202020) & 0xffff;
      return w0 === W_CNON && w1 === 0x6563 ? F_CNONCE : w0 === W_OPAQ && w1 === 0x6575 ? F_OPAQUE : -1;
    }
    case 8: {
      const w1 = view.getInt32(at + 4, true) | 0x20202020;
      return w0 === W_USER ? (w1 === W_NAME ? F_USERNAME : w1 === W_HASH ? F_USERHASH : -1) : w0 === W_RESP && w1 === W_ONSE ? F_RESPONSE : -1;
    }
    case 9: {
      const w1 = view.getInt32(at + 4, true) | 0x20202020;
      const last = view.getUint8(at + 8);
      return w0 === W_ALGO && w1 === W_RITH && (last | 0x20) === 0x6d
        ? F_ALGORITHM
        : w0 === W_USER && w1 === W_NAME && last === 0x2a
          ? F_USERNAME_EXT
          : -1;
    }
    default:
      return -1;
  }
}

/** Value of a hex digit byte (either case), or -1. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX_VALUE[0x30 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX_VALUE[0x41 + c] = 10 + c;
  HEX_VALUE[0x61 + c] = 10 + c;
}

/**
 * True when bytes[at, at + length) are all hex digits (either case); the bytes are ASCII (the byte
 * path only takes ASCII values). Four at a time: for a byte b < 0x80, b + 0x50 has bit 7 set iff
 * b >= '0' and b + 0x46 iff b > '9'; f = b | 0x20 (A-F onto a-f, nothing else onto a-f), f + 0x1f
 * iff f >= 'a' and f + 0x19 iff f > 'f'. No sum carries out of its byte.
 */
function hexDigitsAt(view: DataView, bytes: Uint8Array, at: number, length: number): boolean {
  let bad = 0;
  let k = 0;
  for (; k + 4 <= length; k += 4) {
    const b = view.getInt32(at + k, true);
    const f = b | 0x20202020;
    const digit = (b + 0x50505050) & ~(b + 0x46464646);
    const letter = (f + 0x1f1f1f1f) & ~(f + 0x19191919);
    bad |= ~(digit | letter) & 0x80808080;
  }
  for (; k < length; k++) bad |= HEX_VALUE[bytes[at + k]] & 0x80;
  return bad === 0;
}

function fail(error: CredentialsError): CredentialsResult {
  return { ok: false, error };
}

/**
 * Parses one credentials value. An ASCII value (what SIPp and common UAs send) is written to bytes
 * once, with one native call, and scanned there; the credentials keep those bytes for the verifier
 * (see CredentialBytes). Any other value is handed to parseCredentialsText. Both give the same
 * results (test/auth/credentials.test.ts compares them on mutated values).
 */
export function parseCredentials(value: string): CredentialsResult {
  const n = value.length;
  if (n > MAX_CREDENTIALS_LENGTH) return fail('too-long');
  if (n === 0) return fail('syntax');
  // Written into the current slab with room for n + 4 bytes: n are written exactly when the value
  // is ASCII (any other character takes 2 to 4 bytes, so the text either needs more or is cut
  // beyond n). The 4 spare bytes let the verifier read fields four bytes at a time. The slab space
  // is kept only for credentials that parse.
  if (slabAt + n + BYTES_SLACK > SLAB_BYTES) newSlab();
  const bytes = slab;
  const view = slabView;
  const base = slabAt;
  const written = nativeUtf8
    ? (bytes as NativeWriter & Buffer).utf8Write!(value, base, n + BYTES_SLACK)
    : bytes.write(value, base, n + BYTES_SLACK, 'utf8');
  if (written !== n) return parseCredentialsText(value);
  const limit = base + n;

  let i = base;
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  const schemeStart = i;
  while (i < limit && TCHAR_BYTE[bytes[i]] === 1) i++;
  if (i === schemeStart) return fail('syntax');
  if (!(i - schemeStart === 6 && foldedWord(bytes, schemeStart, i) === W_DIGE && foldedWord(bytes, schemeStart + 4, i) === 0x7473)) {
    return fail('not-digest');
  }
  if (i >= limit || (bytes[i] !== 0x20 && bytes[i] !== 0x09)) return fail('syntax');

  let seen = 0;
  let escapedSeen = 0;
  let count = 0;
  let username: string | null = null;
  while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  for (;;) {
    if (++count > MAX_PARAMS) return fail('too-long');
    const nameStart = i;
    while (i < limit && TCHAR_BYTE[bytes[i]] === 1) i++;
    if (i === nameStart) return fail('syntax');
    const field = fieldOf(view, nameStart, i);
    while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
    if (i >= limit || bytes[i] !== 0x3d) return fail('syntax');
    i++;
    while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;

    let start: number;
    let end: number;
    let escaped = false;
    if (i < limit && bytes[i] === 0x22) {
      // quoted-string: qdtext or quoted-pair; no CR/LF (the SIP layer has unfolded the header).
      start = ++i;
      // Four bytes at a time while none is '"', '\\', CR or LF (a zero byte in value ^ pattern).
      while (i + 4 <= limit) {
        const v = view.getInt32(i, true);
        const q = v ^ 0x22222222;
        const e = v ^ 0x5c5c5c5c;
        const r = v ^ 0x0d0d0d0d;
        const l = v ^ 0x0a0a0a0a;
        if (((((q - 0x01010101) & ~q) | ((e - 0x01010101) & ~e) | ((r - 0x01010101) & ~r) | ((l - 0x01010101) & ~l)) & 0x80808080) !== 0) break;
        i += 4;
      }
      for (;;) {
        if (i >= limit) return fail('syntax');
        const k = QUOTED[bytes[i]];
        if (k === 0) {
          i++;
        } else if (k === 1) {
          break;
        } else if (k === 3) {
          if (i + 1 >= limit || QUOTED[bytes[i + 1]] === 2) return fail('syntax');
          escaped = true;
          i += 2;
        } else {
          return fail('syntax');
        }
      }
      end = i++;
    } else {
      start = i;
      while (i < limit && TCHAR_BYTE[bytes[i]] === 1) i++;
      if (i === start) return fail('syntax');
      end = i;
    }

    if (field >= 0) {
      const bit = 1 << field;
      if ((seen & bit) !== 0) return fail('duplicate-parameter');
      seen |= bit;
      const text = escaped ? unescapeQuoted(value, start - base, end - base) : null;
      const length = text === null ? end - start : text.length;
      if (length > (field === F_URI ? MAX_URI : MAX_VALUE)) return fail('too-long');
      fieldAt[field] = start;
      fieldEnd[field] = end;
      fieldText[field] = text;
      if (escaped) escapedSeen |= bit;
      if (field === F_USERNAME_EXT) {
        username = decodeExtValue(text ?? value.slice(start - base, end - base));
        if (username === null) return fail('bad-value');
      } else if (field === F_USERHASH) {
        const isFalse = text === null ? sameLower(bytes, start, end - start, 'false') : text.toLowerCase() === 'false';
        if (!isFalse) return fail('unexpected-parameter');
      }
    }

    while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
    if (i >= limit) break;
    if (bytes[i] !== 0x2c) return fail('syntax');
    i++;
    while (i < limit && (bytes[i] === 0x20 || bytes[i] === 0x09)) i++;
  }

  if ((seen & USERNAME_EXT) !== 0) {
    if ((seen & USERNAME) !== 0) return fail('duplicate-parameter');
    seen |= USERNAME;
  }
  if ((seen & REQUIRED) !== REQUIRED) return fail('missing-parameter');

  let algorithm: DigestAlgorithm = 'MD5';
  if ((seen & ALGORITHM) !== 0) {
    const text = fieldText[F_ALGORITHM];
    const at = fieldAt[F_ALGORITHM];
    const length = fieldEnd[F_ALGORITHM] - at;
    const named =
      text !== null
        ? algorithmFromName(text)
        : length === 3 && foldedWord(bytes, at, at + 3) === W_MD5
          ? 'MD5'
          : sameLower(bytes, at, length, 'sha-256')
            ? 'SHA-256'
            : sameLower(bytes, at, length, 'sha-512-256')
              ? 'SHA-512-256'
              : null;
    if (named === null) return fail('unsupported-algorithm');
    algorithm = named;
  }

  let ncValue = 0;
  if ((seen & QOP) !== 0) {
    const qopText = fieldText[F_QOP];
    const isAuth =
      qopText !== null
        ? qopText.toLowerCase() === 'auth'
        : fieldEnd[F_QOP] - fieldAt[F_QOP] === 4 && foldedWord(bytes, fieldAt[F_QOP], fieldEnd[F_QOP]) === W_AUTH;
    if (!isAuth) return fail('unsupported-qop');
    if ((seen & NC) === 0 || (seen & CNONCE) === 0) return fail('missing-parameter');
    const ncText = fieldText[F_NC];
    if (ncText !== null) {
      if (ncText.length !== 8 || !isHex(ncText)) return fail('bad-value');
      ncValue = Number.parseInt(ncText, 16);
    } else {
      const at = fieldAt[F_NC];
      if (fieldEnd[F_NC] - at !== 8) return fail('bad-value');
      let bad = 0;
      for (let k = 0; k < 8; k++) {
        const v = HEX_VALUE[bytes[at + k]];
        bad |= v;
        ncValue = ncValue * 16 + v;
      }
      if (bad < 0) return fail('bad-value');
    }
    if (ncValue === 0) return fail('bad-value');
  } else if ((seen & (NC | CNONCE)) !== 0) {
    return fail('unexpected-parameter');
  }

  const responseText = fieldText[F_RESPONSE];
  const responseAt = fieldAt[F_RESPONSE];
  const responseLength = responseText !== null ? responseText.length : fieldEnd[F_RESPONSE] - responseAt;
  if (
    responseLength !== responseHexLength(algorithm) ||
    !(responseText !== null ? isHex(responseText) : hexDigitsAt(view, bytes, responseAt, responseLength))
  ) {
    return fail('bad-value');
  }
  const uriText = fieldText[F_URI];
  const uriAt = fieldAt[F_URI];
  const uriLength = fieldEnd[F_URI] - uriAt;
  if (
    !(uriText !== null
      ? startsWithSipScheme(uriText)
      : uriLength >= 4 &&
        (foldedWord(bytes, uriAt, uriAt + 4) === W_SIP_ ||
          (uriLength >= 5 && foldedWord(bytes, uriAt, uriAt + 4) === W_SIPS && bytes[uriAt + 4] === 0x3a)))
  ) {
    return fail('bad-value');
  }

  const nonce = fieldText[F_NONCE] ?? value.slice(fieldAt[F_NONCE] - base, fieldEnd[F_NONCE] - base);
  const uri = uriText ?? value.slice(uriAt - base, fieldEnd[F_URI] - base);
  const response = responseText ?? value.slice(responseAt - base, responseAt + responseLength - base);
  const qop = (seen & QOP) === 0 ? null : (fieldText[F_QOP] ?? value.slice(fieldAt[F_QOP] - base, fieldEnd[F_QOP] - base));
  const nc = (seen & NC) === 0 ? null : (fieldText[F_NC] ?? value.slice(fieldAt[F_NC] - base, fieldEnd[F_NC] - base));
  const cnonce = (seen & CNONCE) === 0 ? null : (fieldText[F_CNONCE] ?? value.slice(fieldAt[F_CNONCE] - base, fieldEnd[F_CNONCE] - base));
  const wire: CredentialBytes | null =
    (escapedSeen & HASHED) !== 0
      ? null
      : {
          view: slabView,
          nonce,
          uri,
          response,
          qop,
          nc,
          cnonce,
          nonceAt: fieldAt[F_NONCE],
          uriAt,
          responseAt,
          qopAt: fieldAt[F_QOP],
          ncAt: fieldAt[F_NC],
          cnonceAt: fieldAt[F_CNONCE],
        };
  if (wire !== null) slabAt = (limit + BYTES_SLACK + 7) & ~7;
  return {
    ok: true,
    credentials: new ParsedCredentials(
      username ?? fieldText[F_USERNAME] ?? value.slice(fieldAt[F_USERNAME] - base, fieldEnd[F_USERNAME] - base),
      fieldText[F_REALM] ?? value.slice(fieldAt[F_REALM] - base, fieldEnd[F_REALM] - base),
      nonce,
      uri,
      response,
      algorithm,
      qop,
      nc,
      ncValue,
      cnonce,
      (seen & OPAQUE) === 0 ? null : (fieldText[F_OPAQUE] ?? value.slice(fieldAt[F_OPAQUE] - base, fieldEnd[F_OPAQUE] - base)),
      wire,
    ),
  };
}

/**
 * Parses one credentials value from its characters: the reference grammar, and the path for values
 * that are not pure ASCII (parseCredentials hands those over). Same results as parseCredentials.
 */
export function parseCredentialsText(value: string): CredentialsResult {
  if (value.length > MAX_CREDENTIALS_LENGTH) return { ok: false, error: 'too-long' };
  let i = skipSpace(value, 0);
  const schemeStart = i;
  while (i < value.length && isTchar(value.charCodeAt(i))) i++;
  if (i === schemeStart) return { ok: false, error: 'syntax' };
  if (value.slice(schemeStart, i).toLowerCase() !== 'digest') return { ok: false, error: 'not-digest' };
  if (i >= value.length || (value.charCodeAt(i) !== 0x20 && value.charCodeAt(i) !== 0x09)) {
    return { ok: false, error: 'syntax' };
  }

  let seen = 0;
  let count = 0;
  let username = '';
  let realm = '';
  let nonce = '';
  let uri = '';
  let response = '';
  let algorithmText: string | null = null;
  let cnonce: string | null = null;
  let opaque: string | null = null;
  let qop: string | null = null;
  let nc: string | null = null;

  i = skipSpace(value, i);
  for (;;) {
    if (++count > MAX_PARAMS) return { ok: false, error: 'too-long' };
    const nameStart = i;
    while (i < value.length && isTchar(value.charCodeAt(i))) i++;
    if (i === nameStart) return { ok: false, error: 'syntax' };
    const name = value.slice(nameStart, i).toLowerCase();
    i = skipSpace(value, i);
    if (value.charCodeAt(i) !== 0x3d) return { ok: false, error: 'syntax' };
    i = skipSpace(value, i + 1);

    let text: string;
    if (value.charCodeAt(i) === 0x22) {
      // quoted-string: qdtext or quoted-pair; no CR/LF (the SIP layer has unfolded the header).
      i++;
      const start = i;
      let escaped = false;
      for (;;) {
        if (i >= value.length) return { ok: false, error: 'syntax' };
        const c = value.charCodeAt(i);
        if (c === 0x22) break;
        if (c === 0x0d || c === 0x0a) return { ok: false, error: 'syntax' };
        if (c === 0x5c) {
          const next = value.charCodeAt(i + 1);
          if (i + 1 >= value.length || next === 0x0d || next === 0x0a) return { ok: false, error: 'syntax' };
          escaped = true;
          i += 2;
        } else {
          i++;
        }
      }
      text = escaped ? unescapeQuoted(value, start, i) : value.slice(start, i);
      i++;
    } else {
      const start = i;
      while (i < value.length && isTchar(value.charCodeAt(i))) i++;
      if (i === start) return { ok: false, error: 'syntax' };
      text = value.slice(start, i);
    }

    const bit = bitFor(name);
    if (bit !== 0) {
      if ((seen & bit) !== 0) return { ok: false, error: 'duplicate-parameter' };
      seen |= bit;
      if (text.length > (bit === URI ? MAX_URI : MAX_VALUE)) return { ok: false, error: 'too-long' };
      switch (bit) {
        case USERNAME:
          username = text;
          break;
        case USERNAME_EXT: {
          const decoded = decodeExtValue(text);
          if (decoded === null) return { ok: false, error: 'bad-value' };
          username = decoded;
          break;
        }
        case REALM:
          realm = text;
          break;
        case NONCE:
          nonce = text;
          break;
        case URI:
          uri = text;
          break;
        case RESPONSE:
          response = text;
          break;
        case ALGORITHM:
          algorithmText = text;
          break;
        case CNONCE:
          cnonce = text;
          break;
        case OPAQUE:
          opaque = text;
          break;
        case QOP:
          qop = text;
          break;
        case NC:
          nc = text;
          break;
        case USERHASH:
          if (text.toLowerCase() !== 'false') return { ok: false, error: 'unexpected-parameter' };
          break;
      }
    }

    i = skipSpace(value, i);
    if (i >= value.length) break;
    if (value.charCodeAt(i) !== 0x2c) return { ok: false, error: 'syntax' };
    i = skipSpace(value, i + 1);
  }

  if ((seen & USERNAME_EXT) !== 0) {
    if ((seen & USERNAME) !== 0) return { ok: false, error: 'duplicate-parameter' };
    seen |= USERNAME;
  }
  if ((seen & REQUIRED) !== REQUIRED) return { ok: false, error: 'missing-parameter' };

  let algorithm: DigestAlgorithm = 'MD5';
  if (algorithmText !== null) {
    const named = algorithmFromName(algorithmText);
    if (named === null) return { ok: false, error: 'unsupported-algorithm' };
    algorithm = named;
  }

  let ncValue = 0;
  if (qop !== null) {
    if (qop.toLowerCase() !== 'auth') return { ok: false, error: 'unsupported-qop' };
    if (nc === null || cnonce === null) return { ok: false, error: 'missing-parameter' };
    if (nc.length !== 8 || !isHex(nc)) return { ok: false, error: 'bad-value' };
    ncValue = Number.parseInt(nc, 16);
    if (ncValue === 0) return { ok: false, error: 'bad-value' };
  } else if (nc !== null || cnonce !== null) {
    return { ok: false, error: 'unexpected-parameter' };
  }

  if (response.length !== responseHexLength(algorithm) || !isHex(response)) {
    return { ok: false, error: 'bad-value' };
  }
  if (!startsWithSipScheme(uri)) return { ok: false, error: 'bad-value' };

  return {
    ok: true,
    credentials: new ParsedCredentials(username, realm, nonce, uri, response, algorithm, qop, nc, ncValue, cnonce, opaque, null),
  };
}

function unescapeQuoted(s: string, start: number, end: number): string {
  let out = '';
  let run = start;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === 0x5c) {
      out += s.slice(run, i) + s[i + 1];
      i++;
      run = i + 1;
    }
  }
  return out + s.slice(run, end);
}

/**
 * Picks the Digest credentials addressed to `realm` among several header values (RFC 3261 §22.3:
 * a request may carry credentials for several proxies). Other schemes and other realms are skipped;
 * when nothing is for our realm, the first parse error seen is returned, else 'none'.
 */
export function selectCredentials(values: readonly string[], realm: string): SelectedCredentials {
  let firstError: CredentialsResult | null = null;
  for (const value of values) {
    const result = parseCredentials(value);
    if (result.ok) {
      if (result.credentials.realm === realm) return result;
    } else if (result.error !== 'not-digest' && firstError === null) {
      firstError = result;
    }
  }
  return firstError ?? { ok: false, error: 'none' };
}
