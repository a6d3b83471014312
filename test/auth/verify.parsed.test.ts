// Verification of credentials straight from the parser (read from the parsed bytes) and with HA1s
// readied by prepareHa1: same answers as the string path, and the bytes are never used for fields
// that no longer match them.
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../src/auth/algorithm.ts';
import { credentialBytes, parseCredentials, type DigestCredentials } from '../../src/auth/credentials.ts';
import { deriveHa1, prepareHa1 } from '../../src/auth/ha1.ts';
import { verifyDigest, verifyDigestPrepared } from '../../src/auth/verify.ts';
import { seededRandom } from '../helpers/prng.ts';
import { FIELD_ALPHABET as ALPHABET, oracleResponse as responseOf } from '../helpers/digest-oracle.ts';
import type { DigestFields as Fields } from '../helpers/digest-oracle.ts';

/** The header value a UA would send, as a slice of a latin1-decoded message (as the SIP layer hands it over). */
function headerValue(f: Fields, response = responseOf(f)): string {
  let value = `Digest username="${f.username}", realm="${f.realm}", nonce="${f.nonce}", uri="${f.uri}", response="${response}", algorithm=${f.algorithm}`;
  if (f.qop !== null) value += `, cnonce="${f.cnonce}", qop=${f.qop}, nc=${f.nc}`;
  const message = Buffer.from(`INVITE ${f.uri} SIP/2.0\r\nProxy-Authorization: ${value}\r\n\r\n`).toString('latin1');
  const start = message.indexOf('Digest');
  return message.slice(start, message.indexOf('\r\n', start));
}

function parsed(value: string): DigestCredentials {
  const r = parseCredentials(value);
  if (!r.ok) throw new Error(`does not parse (${r.error}): ${value}`);
  return r.credentials;
}

describe('verification of parsed credentials', () => {
  const random = seededRandom(20261123);
  const pick = (n: number) => Math.floor(random() * n);
  const word = (min: number, max: number) => {
    let s = '';
    for (let i = min + pick(max - min + 1); i > 0; i--) s += ALPHABET[pick(ALPHABET.length)];
    return s;
  };
  const algorithms: DigestAlgorithm[] = ['MD5', 'SHA-256', 'SHA-512-256'];
  const makeFields = (): Fields => ({
    username: word(1, 32),
    realm: word(1, 40),
    password: word(12, 40),
    method: ['INVITE', 'REGISTER', 'OPTIONS', 'SUBSCRIBE'][pick(4)],
    nonce: word(8, 64),
    uri: `sip:${word(1, 12)}@${pick(256)}.${pick(256)}.0.1:${pick(65536)}${random() < 0.2 ? ';transport=tcp' : ''}`,
    nc: (1 + pick(0xfffffff)).toString(16).padStart(8, '0'),
    cnonce: word(1, 48),
    qop: random() < 0.8 ? (random() < 0.9 ? 'auth' : 'AUTH') : null,
    algorithm: algorithms[pick(3)],
  });

  it('the right response verifies through both entry points; wrong password and unknown user fail', () => {
    for (let n = 0; n < 500; n++) {
      const f = makeFields();
      const creds = parsed(headerValue(f));
      expect(credentialBytes(creds)).not.toBeNull();
      const ha1 = deriveHa1(f.username, f.realm, f.password);
      const other = deriveHa1(f.username, f.realm, `${f.password}x`);
      expect(verifyDigest(creds, f.method, ha1), JSON.stringify(f)).toBe(true);
      expect(verifyDigestPrepared(creds, f.method, prepareHa1(ha1))).toBe(true);
      expect(verifyDigest(creds, f.method, other)).toBe(false);
      expect(verifyDigestPrepared(creds, f.method, prepareHa1(other))).toBe(false);
      expect(verifyDigest(creds, f.method, null)).toBe(false);
      expect(verifyDigestPrepared(creds, f.method, null)).toBe(false);
    }
  });

  it('each call hashes its own method, whatever the method of the call before', () => {
    const f = { ...makeFields(), method: 'INVITE', qop: 'auth', algorithm: 'MD5' as const };
    const creds = parsed(headerValue(f));
    const ha1 = deriveHa1(f.username, f.realm, f.password);
    const prepared = prepareHa1(ha1);
    const sameText = ['IN', 'VITE'].join('');
    const calls: [string, boolean][] = [
      ['INVITE', true], ['REGISTER', false], [sameText, true], ['INVITEX', false], ['INVIT', false],
      ['INVIT\u00c9', false], ['invite', false], ['INVITE', true], ['', false], [sameText, true],
    ];
    for (const [method, expected] of calls) {
      expect(verifyDigestPrepared(creds, method, prepared), method).toBe(expected);
      expect(verifyDigest(creds, method, ha1), method).toBe(expected);
      expect(verifyDigest({ ...creds }, method, ha1), method).toBe(expected);
      expect(verifyDigestPrepared({ ...creds }, method, prepared), method).toBe(expected);
      expect(verifyDigestPrepared(creds, method, null), method).toBe(false);
    }
  });

  it('a changed field in the header fails (nonce, uri, nc, cnonce, response, method)', () => {
    for (let n = 0; n < 200; n++) {
      const f = { ...makeFields(), qop: 'auth' };
      const response = responseOf(f);
      const ha1 = prepareHa1(deriveHa1(f.username, f.realm, f.password));
      const flip = (s: string) => s.slice(0, -1) + (s.endsWith('a') ? 'b' : 'a');
      const changed: Fields[] = [
        { ...f, nonce: flip(f.nonce) },
        { ...f, uri: `${f.uri}x` },
        { ...f, nc: ((Number.parseInt(f.nc, 16) % 0xfffffff) + 1).toString(16).padStart(8, '0') },
        { ...f, cnonce: flip(f.cnonce) },
      ];
      for (const c of changed) expect(verifyDigestPrepared(parsed(headerValue(c, response)), f.method, ha1)).toBe(false);
      const wrongResponse = response.slice(0, -1) + (response.endsWith('0') ? '1' : '0');
      expect(verifyDigestPrepared(parsed(headerValue(f, wrongResponse)), f.method, ha1)).toBe(false);
      expect(verifyDigestPrepared(parsed(headerValue(f, response)), f.method === 'INVITE' ? 'BYE' : 'INVITE', ha1)).toBe(false);
      expect(verifyDigestPrepared(parsed(headerValue(f, response.toUpperCase())), f.method, ha1)).toBe(true);
    }
  });

  it('never uses the parsed bytes for a field changed after parsing (in place or in a copy)', () => {
    const f: Fields = { ...makeFields(), algorithm: 'MD5', qop: 'auth' };
    const ha1 = deriveHa1(f.username, f.realm, f.password);
    const creds = parsed(headerValue(f));
    const other: Fields = { ...f, uri: `${f.uri};x=1` };
    const otherResponse = responseOf(other);
    // A copy with another uri and the response for it verifies (read from its strings) ...
    expect(verifyDigest({ ...creds, uri: other.uri, response: otherResponse }, f.method, ha1)).toBe(true);
    // ... and so does the parsed object changed in place; the bytes still hold the old uri.
    creds.uri = other.uri;
    creds.response = otherResponse;
    expect(verifyDigest(creds, f.method, ha1)).toBe(true);
    expect(verifyDigestPrepared(creds, f.method, prepareHa1(ha1))).toBe(true);
    // Equal text in a different string object is the same field.
    creds.uri = [...f.uri].join('');
    creds.response = responseOf(f);
    expect(verifyDigest(creds, f.method, ha1)).toBe(true);
    creds.nonce = `${f.nonce}x`;
    expect(verifyDigest(creds, f.method, ha1)).toBe(false);
  });

  it('fields with quoted-pairs verify on their unescaped text', () => {
    const f: Fields = { ...makeFields(), algorithm: 'MD5', qop: 'auth', cnonce: 'ab"c\\d' };
    const ha1 = deriveHa1(f.username, f.realm, f.password);
    const value = headerValue(f).replace('cnonce="ab"c\\d"', 'cnonce="ab\\"c\\\\d"');
    const creds = parsed(value);
    expect(creds.cnonce).toBe('ab"c\\d');
    expect(credentialBytes(creds)).toBeNull();
    expect(verifyDigest(creds, f.method, ha1)).toBe(true);
  });

  it('credentials keep verifying after many later parses', () => {
    const f: Fields = { ...makeFields(), algorithm: 'MD5', qop: 'auth' };
    const ha1 = prepareHa1(deriveHa1(f.username, f.realm, f.password));
    const first = parsed(headerValue(f));
    // Many 8 KiB slabs of parsed values later.
    for (let n = 0; n < 2000; n++) parsed(headerValue({ ...f, cnonce: `c${n}` }));
    expect(verifyDigestPrepared(first, f.method, ha1)).toBe(true);
  });

  it('prepareHa1 keeps the strings and gives the MD5 HA1 as words', () => {
    const ha1 = deriveHa1('alice', 'sip-edge', 'secret');
    const p = prepareHa1(ha1);
    expect({ md5: p.md5, sha256: p.sha256, sha512_256: p.sha512_256 }).toEqual(ha1);
    expect(Buffer.from(p.md5Words.buffer).toString('latin1')).toBe(ha1.md5);
  });
});
