import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { NONCE_INVALID, NONCE_LENGTH, NONCE_STALE, NonceService, nonceIssuedAt } from '../../src/auth/nonce.ts';

const SECRET = 'test-secret-shared-by-nodes';
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
const service = () => new NonceService({ secret: SECRET, realm: 'sip-edge', ttlSeconds: 300 });

describe('NonceService', () => {
  it('mints 24-character base64url nonces that verify for the same realm and source', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0);
    expect(n).toHaveLength(NONCE_LENGTH);
    expect(n).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(s.verify(n, '192.0.2.7', T0)).toBe('valid');
    expect(s.verify(n, '192.0.2.7', T0 + 299_000)).toBe('valid');
    expect(nonceIssuedAt(n)).toBe(T0 / 1000);
    expect(s.expiresAt(nonceIssuedAt(n))).toBe(T0 / 1000 + 300);
  });

  it('is an HMAC-SHA256 over time, random, realm and source, truncated to 9 bytes', () => {
    const n = service().mint('2001:db8::1', T0);
    const raw = Buffer.from(n, 'base64url');
    const mac = createHmac('sha256', SECRET)
      .update(Buffer.concat([raw.subarray(0, 9), Buffer.from('sip-edge\u00002001:db8::1')]))
      .digest()
      .subarray(0, 9);
    expect(raw.subarray(9).equals(mac)).toBe(true);
  });

  it('matches node:crypto HMAC for every source length around the one-block boundary, any realm length', () => {
    // One block holds time | random | realm | 0x00 | source when it leaves 9 bytes for padding;
    // longer messages take the general path. Lengths alternate so stale bytes would show.
    for (const realm of ['r', 'sip-edge', 'x'.repeat(44), 'x'.repeat(45), 'x'.repeat(46), 'x'.repeat(60), 'x'.repeat(200)]) {
      const s = new NonceService({ secret: SECRET, realm, ttlSeconds: 300 });
      const sources: string[] = [];
      for (let n = 0; n <= 64; n++) sources.push('1234567890abcdef:'.repeat(4).slice(0, n), 'f'.repeat(64 - n));
      sources.push('fe80::1%\u00e9th0', '192.0.2.1', 'fe80::\u2603', '10.0.0.1');
      for (const source of sources) {
        const n = s.mint(source, T0);
        const raw = Buffer.from(n, 'base64url');
        const mac = createHmac('sha256', SECRET)
          .update(Buffer.concat([raw.subarray(0, 9), Buffer.from(realm + '\u0000' + source, 'utf8')]))
          .digest()
          .subarray(0, 9);
        expect(raw.subarray(9).equals(mac), `realm ${realm.length}, source ${JSON.stringify(source)}`).toBe(true);
        expect(s.verify(n, source, T0)).toBe('valid');
        expect(s.verify(n, source + '0', T0)).toBe('invalid');
      }
    }
  });

  it('check answers the issue time of a valid nonce, else NONCE_STALE or NONCE_INVALID, as verify does', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0 + 1500);
    expect(s.check(n, '192.0.2.7', T0 + 2000)).toBe(nonceIssuedAt(n));
    expect(s.check(n, '192.0.2.7', T0 + 2000)).toBe(Math.floor((T0 + 1500) / 1000));
    expect(s.check(n, '192.0.2.7', T0 + 400_000)).toBe(NONCE_STALE);
    expect(s.verify(n, '192.0.2.7', T0 + 400_000)).toBe('stale');
    expect(s.check(n, '192.0.2.8', T0 + 2000)).toBe(NONCE_INVALID);
    expect(s.check(n.slice(1), '192.0.2.7', T0 + 2000)).toBe(NONCE_INVALID);
    expect(s.verify(n, '192.0.2.8', T0 + 2000)).toBe('invalid');
  });

  it('gives the same verdicts for nonces it minted lately, long ago (overwritten in its table) or never', () => {
    const a = service();
    const b = service(); // same secret: checks a's nonces by HMAC alone
    const minted: Array<[string, string]> = [];
    for (let i = 0; i < 10_000; i++) {
      const source = `198.51.${(i >> 8) & 255}.${i & 255}`;
      minted.push([a.mint(source, T0 + i), source]);
    }
    for (const [i, [n, source]] of minted.entries()) {
      if (i % 97 !== 0 && i < minted.length - 50) continue;
      const issued = Math.floor((T0 + i) / 1000);
      expect(a.check(n, source, T0 + 20_000)).toBe(issued);
      expect(b.check(n, source, T0 + 20_000)).toBe(issued);
      expect(a.check(n, source + '1', T0 + 20_000)).toBe(NONCE_INVALID);
      expect(a.check(n, source, T0 + 400_000)).toBe(NONCE_STALE);
      const raw = Buffer.from(n, 'base64url');
      raw[i % 18] ^= 1 << (i % 8);
      expect(a.check(raw.toString('base64url'), source, T0 + 20_000)).toBe(NONCE_INVALID);
    }
  });

  it('gives distinct nonces', () => {
    const s = service();
    const seen = new Set<string>();
    for (let i = 0; i < 5000; i++) seen.add(s.mint('192.0.2.7', T0));
    expect(seen.size).toBe(5000);
  });

  it('tampered bytes → invalid (every position, every bit of the decoded form)', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0);
    const raw = Buffer.from(n, 'base64url');
    for (let i = 0; i < raw.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const copy = Buffer.from(raw);
        copy[i] ^= 1 << bit;
        expect(s.verify(copy.toString('base64url'), '192.0.2.7', T0)).toBe('invalid');
      }
    }
  });

  it('malformed text → invalid', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0);
    for (const bad of ['', n.slice(1), `${n}A`, `${n.slice(0, 23)}=`, `${n.slice(0, 23)}+`, `${n.slice(0, 23)}\u00e9`, 'x'.repeat(5000)]) {
      expect(s.verify(bad, '192.0.2.7', T0)).toBe('invalid');
    }
    expect(s.verify(n, 'x'.repeat(100), T0)).toBe('invalid');
    expect(nonceIssuedAt('short')).toBe(-1);
  });

  it('other realm or other source → invalid; other secret → invalid', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0);
    expect(new NonceService({ secret: SECRET, realm: 'other', ttlSeconds: 300 }).verify(n, '192.0.2.7', T0)).toBe('invalid');
    expect(s.verify(n, '192.0.2.8', T0)).toBe('invalid');
    expect(s.verify(n, '::ffff:192.0.2.7', T0)).toBe('invalid');
    expect(new NonceService({ secret: `${SECRET}!`, realm: 'sip-edge', ttlSeconds: 300 }).verify(n, '192.0.2.7', T0)).toBe('invalid');
  });

  it('older than the TTL → stale; issued in the future beyond the drift → stale; a forged old one stays invalid', () => {
    const s = service();
    const n = s.mint('192.0.2.7', T0);
    expect(s.verify(n, '192.0.2.7', T0 + 301_000)).toBe('stale');
    expect(s.verify(n, '192.0.2.7', T0 - 3_000)).toBe('valid');
    expect(s.verify(n, '192.0.2.7', T0 - 6_000)).toBe('stale');
    expect(s.verify(n, '192.0.2.9', T0 + 301_000)).toBe('invalid');
  });

  it('accepts long secrets (hashed first, as HMAC specifies) and byte secrets', () => {
    const long = 'k'.repeat(200);
    const a = new NonceService({ secret: long, realm: 'r', ttlSeconds: 10 });
    const b = new NonceService({ secret: Buffer.from(long), realm: 'r', ttlSeconds: 10 });
    const raw = Buffer.from(a.mint('::1', T0), 'base64url');
    const mac = createHmac('sha256', long).update(Buffer.concat([raw.subarray(0, 9), Buffer.from('r\u0000::1')])).digest();
    expect(raw.subarray(9).equals(mac.subarray(0, 9))).toBe(true);
    expect(b.verify(raw.toString('base64url'), '::1', T0)).toBe('valid');
    expect(() => new NonceService({ secret: '', realm: 'r', ttlSeconds: 10 })).toThrow();
  });

  it('two processes with the same secret accept each other\u2019s nonces', () => {
    const moduleUrl = new URL('../../src/auth/nonce.ts', import.meta.url).href;
    const script = `
      import { NonceService } from ${JSON.stringify(moduleUrl)};
      const [mode, secret, value] = process.argv.slice(1);
      const s = new NonceService({ secret, realm: 'sip-edge', ttlSeconds: 300 });
      process.stdout.write(mode === 'mint' ? s.mint('198.51.100.4') : s.verify(value, '198.51.100.4'));
    `;
    const run = (...args: string[]) => {
      const r = spawnSync(process.execPath, ['--input-type=module', '-e', script, ...args], { encoding: 'utf8', timeout: 20_000 });
      expect(r.status, r.stderr).toBe(0);
      return r.stdout;
    };
    const fromChild = run('mint', SECRET);
    expect(fromChild).toHaveLength(NONCE_LENGTH);
    const here = new NonceService({ secret: SECRET, realm: 'sip-edge', ttlSeconds: 300 });
    expect(here.verify(fromChild, '198.51.100.4')).toBe('valid');
    expect(here.verify(fromChild, '198.51.100.5')).toBe('invalid');
    const fromParent = here.mint('198.51.100.4');
    expect(run('verify', SECRET, fromParent)).toBe('valid');
    expect(run('verify', 'another-secret', fromParent)).toBe('invalid');
  });
});
