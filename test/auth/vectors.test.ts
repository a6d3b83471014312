// Published digest test vectors verified through the hot path (src/auth/verify.ts).
import { describe, expect, it } from 'vitest';
import { parseCredentials } from '../../src/auth/credentials.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';
import { verifyDigest } from '../../src/auth/verify.ts';

describe('digest test vectors', () => {
  it('RFC 2617 §3.5 (MD5, qop=auth)', () => {
    const ha1 = deriveHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const input = {
      nonce: 'dcd98b7102dd2f0e8b11d0f600bfb0c093',
      uri: '/dir/index.html',
      qop: 'auth',
      nc: '00000001',
      cnonce: '0a4f113b',
      algorithm: 'MD5' as const,
      response: '6629fae49393a05397450978507c4ef1',
    };
    expect(verifyDigest(input, 'GET', ha1)).toBe(true);
    expect(verifyDigest({ ...input, response: '6629fae49393a05397450978507c4ef2' }, 'GET', ha1)).toBe(false);
    expect(verifyDigest(input, 'GET', null)).toBe(false);
  });

  const rfc7616 = {
    nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
    uri: '/dir/index.html',
    qop: 'auth',
    nc: '00000001',
    cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
  };
  const ha1For7616 = deriveHa1('Mufasa', 'http-auth@example.org', 'Circle of Life');

  it('RFC 7616 §3.9.1 MD5', () => {
    const input = { ...rfc7616, algorithm: 'MD5' as const, response: '8ca523f5e9506fed4657c9700eebdbec' };
    expect(verifyDigest(input, 'GET', ha1For7616)).toBe(true);
    expect(verifyDigest(input, 'POST', ha1For7616)).toBe(false);
    // Upper-case hex is the same response; a non-hex look-alike is not.
    expect(verifyDigest({ ...input, response: input.response.toUpperCase() }, 'GET', ha1For7616)).toBe(true);
    expect(verifyDigest({ ...input, response: `${input.response.slice(0, 31)}\u0013` }, 'GET', ha1For7616)).toBe(false);
    // 's' has the low bits and the letter bit of 'c': a look-alike for arithmetic decoding, not hex.
    expect(verifyDigest({ ...input, response: input.response.replace(/c/g, 's') }, 'GET', ha1For7616)).toBe(false);
    expect(verifyDigest({ ...input, response: input.response.replace(/c/g, 'C') }, 'GET', ha1For7616)).toBe(true);
    expect(verifyDigest({ ...input, response: input.response.slice(1) }, 'GET', ha1For7616)).toBe(false);
  });

  it('RFC 7616 §3.9.1 SHA-256', () => {
    const input = {
      ...rfc7616,
      algorithm: 'SHA-256' as const,
      response: '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1',
    };
    expect(verifyDigest(input, 'GET', ha1For7616)).toBe(true);
    // Upper-case hex from a client is the same response.
    expect(verifyDigest({ ...input, response: input.response.toUpperCase() }, 'GET', ha1For7616)).toBe(true);
    expect(verifyDigest({ ...input, algorithm: 'SHA-512-256' }, 'GET', ha1For7616)).toBe(false);
  });

  it('RFC 7616 §3.9.2 SHA-512-256 with the value corrected by erratum 4897', () => {
    // Username "Jäsøn Doe" in UTF-8; the RFC sends it with userhash, we hash the clear name into HA1.
    const ha1 = deriveHa1('J\u00e4s\u00f8n Doe', 'api@example.org', 'Secret, or not?');
    const input = {
      nonce: '5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK',
      uri: '/doe.json',
      qop: 'auth',
      nc: '00000001',
      cnonce: 'NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6jUMp2wds69v',
      algorithm: 'SHA-512-256' as const,
      response: '3798d4131c277846293534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5',
    };
    expect(verifyDigest(input, 'GET', ha1)).toBe(true);
    // Any other response (here: one wrong value of the kind erratum 4897 corrects) must not verify.
    expect(
      verifyDigest({ ...input, response: 'ae66e67d6b427bd3f120414a82e4acff38e8ecd9101d6c861229025f607a79dd' }, 'GET', ha1),
    ).toBe(false);
  });

  it('RFC 2069 style (no qop): response = H(HA1:nonce:HA2)', () => {
    const ha1 = deriveHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life');
    const parsed = parseCredentials(
      'Digest username="Mufasa", realm="testrealm@host.com", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", ' +
        'uri="sip:bob@example.com", response="0000000000000000000000000000000a"',
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    // Independent computation with node:crypto (the oracle), then verification by ours.
    return import('node:crypto').then(({ hash }) => {
      const ha2 = hash('md5', 'INVITE:sip:bob@example.com');
      const response = hash('md5', `${ha1.md5}:dcd98b7102dd2f0e8b11d0f600bfb0c093:${ha2}`);
      expect(verifyDigest({ ...parsed.credentials, response }, 'INVITE', ha1)).toBe(true);
      expect(verifyDigest({ ...parsed.credentials }, 'INVITE', ha1)).toBe(false);
    });
  });
});
