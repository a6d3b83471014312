import { describe, expect, it } from 'vitest';
import { parseAlgorithmList } from '../../src/auth/algorithm.ts';
import { ChallengeBuilder, challengeHeaderName, credentialsHeaderName, quote } from '../../src/auth/challenge.ts';

describe('ChallengeBuilder', () => {
  it('builds one value per algorithm in the configured order', () => {
    const b = new ChallengeBuilder('sip-edge', ['SHA-256', 'MD5', 'SHA-512-256']);
    expect(b.build('NONCE123')).toEqual([
      'Digest realm="sip-edge", nonce="NONCE123", qop="auth", algorithm=SHA-256',
      'Digest realm="sip-edge", nonce="NONCE123", qop="auth", algorithm=MD5',
      'Digest realm="sip-edge", nonce="NONCE123", qop="auth", algorithm=SHA-512-256',
    ]);
  });
  it('adds stale=true when asked', () => {
    const b = new ChallengeBuilder('sip-edge', ['MD5']);
    expect(b.build('N', true)).toEqual(['Digest realm="sip-edge", nonce="N", qop="auth", algorithm=MD5, stale=true']);
    expect(b.build('N', false)[0]).not.toContain('stale');
  });
  it('quotes the realm', () => {
    expect(new ChallengeBuilder('a"b\\c', ['MD5']).build('N')[0]).toContain('realm="a\\"b\\\\c"');
    expect(quote('plain')).toBe('"plain"');
    expect(() => new ChallengeBuilder('bad\r\nrealm', ['MD5'])).toThrow();
    expect(() => new ChallengeBuilder('r', [])).toThrow();
  });
  it('names the headers by status', () => {
    expect(challengeHeaderName(407)).toBe('Proxy-Authenticate');
    expect(challengeHeaderName(401)).toBe('WWW-Authenticate');
    expect(credentialsHeaderName(407)).toBe('Proxy-Authorization');
    expect(credentialsHeaderName(401)).toBe('Authorization');
  });
});

describe('parseAlgorithmList', () => {
  it('parses EDGE_DIGEST_ALGORITHMS', () => {
    expect(parseAlgorithmList('MD5')).toEqual(['MD5']);
    expect(parseAlgorithmList(' sha-256 , MD5,SHA-512-256')).toEqual(['SHA-256', 'MD5', 'SHA-512-256']);
  });
  it.each(['', 'MD5,', 'MD5,MD5', 'SHA-1', 'MD5-sess'])('rejects %j', (text) => {
    expect(parseAlgorithmList(text)).toBeNull();
  });
});
