// offeredCredentials: the credentials a request offers for our realm, parsed once when asked twice
// in a row (admission, then the gate), and right for every request when requests interleave.
import { describe, expect, it } from 'vitest';
import { offeredCredentials } from '../../src/gate/request-credentials.ts';
import { REALM, digest, request } from './fixtures.ts';

const NONCE = 'AAAAAAAAAAAAAAAAAAAAAAAA';

function withCredentials(user: string, method = 'INVITE') {
  const value = digest({ username: user, password: 'pw', nonce: NONCE, method, uri: 'sip:203.0.113.1:5060' });
  return request({ method, uri: 'sip:x@pbx.example.com', extra: [`${method === 'REGISTER' ? 'Authorization' : 'Proxy-Authorization'}: ${value}`] });
}

function username(result: ReturnType<typeof offeredCredentials>): string | undefined {
  return result.ok ? result.credentials.username : undefined;
}

describe('offeredCredentials', () => {
  it('answers a repeated question about the same request with the same parse', () => {
    const req = withCredentials('alice');
    const first = offeredCredentials(req, REALM);
    expect(username(first)).toBe('alice');
    expect(offeredCredentials(req, REALM)).toBe(first);
  });

  it('gives each request its own answer when requests interleave', () => {
    const alice = withCredentials('alice');
    const bob = withCredentials('bob');
    const none = request({ uri: 'sip:x@pbx.example.com' });
    const reggie = withCredentials('reggie', 'REGISTER');
    for (let round = 0; round < 3; round++) {
      expect(username(offeredCredentials(alice, REALM))).toBe('alice');
      expect(username(offeredCredentials(bob, REALM))).toBe('bob');
      expect(offeredCredentials(none, REALM)).toEqual({ ok: false, error: 'none' });
      expect(username(offeredCredentials(reggie, REALM))).toBe('reggie');
      expect(username(offeredCredentials(alice, REALM))).toBe('alice');
    }
  });

  it('reads the header the method uses', () => {
    const value = digest({ username: 'alice', password: 'pw', nonce: NONCE, method: 'REGISTER', uri: 'sip:pbx.example.com' });
    const register = request({ method: 'REGISTER', uri: 'sip:pbx.example.com', extra: [`Proxy-Authorization: ${value}`] });
    expect(offeredCredentials(register, REALM)).toEqual({ ok: false, error: 'none' });
  });

  it('answers for the realm asked about', () => {
    const req = withCredentials('alice');
    expect(offeredCredentials(req, 'other-realm')).toEqual({ ok: false, error: 'none' });
    expect(username(offeredCredentials(req, REALM))).toBe('alice');
    expect(offeredCredentials(req, 'other-realm')).toEqual({ ok: false, error: 'none' });
  });
});
