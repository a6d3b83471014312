import { describe, expect, it } from 'vitest';
import { deriveHa1 } from '../../src/auth/ha1.ts';

describe('deriveHa1', () => {
  it('matches RFC 2617 §3.5 HA1 (MD5)', () => {
    expect(deriveHa1('Mufasa', 'testrealm@host.com', 'Circle Of Life').md5).toBe(
      '939e7578ed9e3c518a452acee763bce9',
    );
  });
  it('derives all three algorithms as lowercase hex of the right length', () => {
    const set = deriveHa1('Mufasa', 'http-auth@example.org', 'Circle of Life');
    expect(set.md5).toMatch(/^[0-9a-f]{32}$/);
    expect(set.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(set.sha512_256).toMatch(/^[0-9a-f]{64}$/);
    expect(set.sha256).toBe('7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232');
  });
  it('depends on every input', () => {
    const base = deriveHa1('u', 'r', 'p');
    expect(deriveHa1('v', 'r', 'p').md5).not.toBe(base.md5);
    expect(deriveHa1('u', 's', 'p').sha256).not.toBe(base.sha256);
    expect(deriveHa1('u', 'r', 'q').sha512_256).not.toBe(base.sha512_256);
  });
});
