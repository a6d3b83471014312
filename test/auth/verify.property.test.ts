// Seeded random property tests: a response computed (by node:crypto, the oracle) from the right
// password verifies; changing any single field makes it fail.
import { describe, expect, it } from 'vitest';
import type { DigestAlgorithm } from '../../src/auth/algorithm.ts';
import { deriveHa1 } from '../../src/auth/ha1.ts';
import { verifyDigest, type DigestInput } from '../../src/auth/verify.ts';
import { seededRandom } from '../helpers/prng.ts';
import { FIELD_ALPHABET as ALPHABET, oracleResponse } from '../helpers/digest-oracle.ts';
import type { DigestFields as Case } from '../helpers/digest-oracle.ts';

const HA1_KEY = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512_256' } as const;

function verifies(c: Case, response: string, stored: Case = c): boolean {
  const ha1 = deriveHa1(stored.username, stored.realm, stored.password);
  const input: DigestInput = {
    nonce: c.nonce,
    uri: c.uri,
    nc: c.qop === null ? null : c.nc,
    cnonce: c.qop === null ? null : c.cnonce,
    qop: c.qop,
    algorithm: c.algorithm,
    response,
  };
  // Sanity of the HA1 we pass: it is the one for the stored user.
  expect(ha1[HA1_KEY[c.algorithm]]).toHaveLength(c.algorithm === 'MD5' ? 32 : 64);
  return verifyDigest(input, c.method, ha1);
}

describe('digest verification properties (seeded)', () => {
  const random = seededRandom(20260523);
  const pick = (n: number) => Math.floor(random() * n);
  const word = (min: number, max: number, alphabet = ALPHABET) => {
    let s = '';
    for (let i = min + pick(max - min + 1); i > 0; i--) s += alphabet[pick(alphabet.length)];
    return s;
  };
  const algorithms: DigestAlgorithm[] = ['MD5', 'SHA-256', 'SHA-512-256'];
  const methods = ['INVITE', 'REGISTER', 'OPTIONS', 'SUBSCRIBE', 'MESSAGE'];

  function makeCase(): Case {
    return {
      username: word(1, 32) + (random() < 0.1 ? '\u00e9' : ''),
      realm: word(1, 40),
      password: word(12, 40),
      method: methods[pick(methods.length)],
      nonce: word(8, 64),
      uri: `sip:${word(1, 12)}@${pick(256)}.${pick(256)}.0.1:${pick(65536)}${random() < 0.1 ? ';transport=tcp' : ''}`,
      nc: (1 + pick(0xfffffff)).toString(16).padStart(8, '0'),
      cnonce: word(1, 48) + (random() < 0.1 ? '\u00e9\u20ac' : ''),
      qop: random() < 0.8 ? 'auth' : null,
      algorithm: algorithms[pick(3)],
    };
  }

  function mutate(value: string): string {
    const at = pick(value.length);
    let replacement = ALPHABET[pick(ALPHABET.length)];
    while (replacement === value[at]) replacement = ALPHABET[pick(ALPHABET.length)];
    return value.slice(0, at) + replacement + value.slice(at + 1);
  }

  it('the right password verifies, for 600 random cases over all algorithms, with and without qop', () => {
    for (let n = 0; n < 600; n++) {
      const c = makeCase();
      expect(verifies(c, oracleResponse(c)), JSON.stringify(c)).toBe(true);
    }
  });

  it('any single changed field fails', () => {
    const fields = ['username', 'realm', 'password', 'nonce', 'uri', 'nc', 'cnonce', 'qop', 'method', 'response'] as const;
    let checked = 0;
    for (let n = 0; n < 400; n++) {
      const c = makeCase();
      c.qop = 'auth';
      const response = oracleResponse(c);
      for (const field of fields) {
        const changed: Case = { ...c };
        let sentResponse = response;
        switch (field) {
          case 'username':
          case 'realm':
          case 'password':
            // The client computed with the right secret, but we hold the HA1 of a different identity.
            expect(verifies(c, response, { ...c, [field]: mutate(c[field]) })).toBe(false);
            checked++;
            continue;
          case 'qop':
            changed.qop = null; // qop dropped from the request
            break;
          case 'response':
            sentResponse = mutate(response).replace(/[^0-9a-f]/g, '0');
            if (sentResponse === response) sentResponse = response.replace(/^./, response[0] === '0' ? '1' : '0');
            break;
          case 'nc':
            changed.nc = ((Number.parseInt(c.nc, 16) % 0xfffffff) + 1).toString(16).padStart(8, '0');
            break;
          case 'method':
            changed.method = c.method === 'INVITE' ? 'REGISTER' : 'INVITE';
            break;
          default:
            changed[field] = mutate(c[field]);
        }
        expect(verifies(changed, sentResponse), `${field} ${JSON.stringify(changed)}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBe(4000);
  });

  it('an unknown user (null HA1) never verifies, even with a response the dummy could not know', () => {
    const c = makeCase();
    const input: DigestInput = { nonce: c.nonce, uri: c.uri, nc: c.nc, cnonce: c.cnonce, qop: 'auth', algorithm: c.algorithm, response: oracleResponse({ ...c, qop: 'auth' }) };
    expect(verifyDigest(input, c.method, null)).toBe(false);
  });

  it('oversized fields give false, not an exception', () => {
    const c = makeCase();
    const input: DigestInput = { nonce: 'n'.repeat(5000), uri: `sip:${'\u20ac'.repeat(3000)}`, nc: c.nc, cnonce: 'c', qop: 'auth', algorithm: 'MD5', response: '0'.repeat(32) };
    expect(verifyDigest(input, 'INVITE', deriveHa1('a', 'b', 'c'))).toBe(false);
  });
});
