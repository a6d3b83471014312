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
    const c = s.charCodeAt(i) | 0x20;
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66))) return false;
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

/** Parses one credentials value. */
export function parseCredentials(value: string): CredentialsResult {
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
    credentials: { username, realm, nonce, uri, response, algorithm, qop, nc, ncValue, cnonce, opaque },
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
