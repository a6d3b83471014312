import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { routeTokenDirection, signRouteToken } from '../../src/proxy/route-token.ts';

// The token as the first implementation minted it (node createHmac): tokens in live dialogs must
// keep verifying across an upgrade.
function reference(secret: string | Buffer, identity: string, callId: string, tag: string): string {
  return createHmac('sha256', secret).update(`rr1\n${identity}\n${callId}\n${tag}`).digest().subarray(0, 16).toString('base64url');
}

describe('route token', () => {
  it('is HMAC-SHA256 truncated to 128 bits, for short, long, non-ASCII and oversized inputs and keys', () => {
    const secrets: (string | Buffer)[] = ['k', 'x'.repeat(64), 'y'.repeat(65), Buffer.from([0, 255, 7]), 's€cret'];
    const callIds = ['1-2345@127.0.0.1', 'c'.repeat(150), 'ça-va-😀@host', 'z'.repeat(5000)];
    for (const secret of secrets) {
      for (const cacheSize of [0, 4, undefined]) {
        const key = { secret, identity: '[2001:db8::1]:5060', cacheSize };
        for (const callId of callIds) {
          const t = signRouteToken(key, callId, 'tag-1');
          expect(t).toBe(reference(secret, key.identity, callId, 'tag-1'));
          expect(routeTokenDirection(key, t, callId, 'tag-1', 'tag-2')).toBe('from');
          expect(routeTokenDirection(key, t, callId, 'tag-2', 'tag-1')).toBe('to');
          expect(routeTokenDirection(key, t, callId, 'tag-2', 'tag-3')).toBeNull();
        }
      }
    }
  });

  it('verifies tokens it did not mint itself (another worker, before a restart), with or without a cache', () => {
    for (const cacheSize of [0, 2, undefined]) {
      const key = { secret: 'shared', identity: '10.0.0.1:5060', cacheSize };
      for (let i = 0; i < 20; i++) {
        const t = reference('shared', key.identity, `call-${i}`, `a${i}`);
        expect(routeTokenDirection(key, t, `call-${i}`, `b${i}`, `a${i}`)).toBe('to');
        expect(routeTokenDirection(key, t, `call-${i}`, `a${i}`, `b${i}`)).toBe('from');
        expect(routeTokenDirection(key, t, `call-${i}`, `b${i}`, `c${i}`)).toBeNull();
      }
    }
  });

  it('gives the same answers after the cache evicts (FIFO), and never trusts a token for another pair', () => {
    const key = { secret: 'k', identity: 'h:5060', cacheSize: 3 };
    const tokens = Array.from({ length: 10 }, (_, i) => signRouteToken(key, `c${i}`, `t${i}`));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 10; i++) {
        expect(routeTokenDirection(key, tokens[i]!, `c${i}`, `t${i}`, 'x')).toBe('from');
        expect(routeTokenDirection(key, tokens[i]!, `c${i}`, 'x', `t${i}`)).toBe('to');
        expect(routeTokenDirection(key, tokens[(i + 1) % 10]!, `c${i}`, `t${i}`, `t${i}`)).toBeNull();
      }
    }
    // Same tag in From and To: the caller's direction wins, as before.
    expect(routeTokenDirection(key, tokens[0]!, 'c0', 't0', 't0')).toBe('from');
  });

  it('rejects malformed tokens and every single-character change', () => {
    const key = { secret: 'k', identity: 'h:5060' };
    const t = signRouteToken(key, 'c', 'a');
    for (const bad of ['', t.slice(1), `${t}A`, `${t.slice(0, 21)}=`, `${t.slice(0, 5)}!${t.slice(6)}`, `${t.slice(0, 5)}é${t.slice(6)}`]) {
      expect(routeTokenDirection(key, bad, 'c', 'a', 'b')).toBeNull();
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (let i = 0; i < 21; i++) {
      const c = t[i] === 'A' ? 'B' : 'A';
      expect(routeTokenDirection(key, t.slice(0, i) + c + t.slice(i + 1), 'c', 'a', 'b')).toBeNull();
    }
    // The 22nd character carries 2 bits of MAC and 4 of padding: changing the MAC bits fails.
    const last = alphabet.indexOf(t[21]!);
    expect(routeTokenDirection(key, t.slice(0, 21) + alphabet[last ^ 0x10]!, 'c', 'a', 'b')).toBeNull();
    expect(routeTokenDirection(key, t, 'c', undefined, '')).toBeNull();
  });
});
