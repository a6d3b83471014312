import { describe, expect, it } from 'vitest';
import { forwardBranch, loopHashInBranch, loopHashOf } from '../../src/proxy/branch.ts';
import { hex8, streamHash } from '../../src/sip/fast-hash.ts';

/** 32 hex digits of one string, as forwardBranch streams its parts. */
const hashHex = (text: string): string => streamHash.begin(1).add(text).hex32();

describe('fast hashes', () => {
  it('renders hex by table like toString(16) padded', () => {
    for (const x of [0, 1, 0xff, 0x1234abcd, -1, 0x80000000 | 0, 0x7fffffff]) {
      expect(hex8(x)).toBe((x >>> 0).toString(16).padStart(8, '0'));
    }
  });

  it('is deterministic, 128 bits of hex, and collision-free over many close inputs', () => {
    expect(hashHex('abc')).toBe(hashHex('abc'));
    expect(hashHex('abc')).toMatch(/^[0-9a-f]{32}$/);
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) seen.add(hashHex(`z9hG4bK-${i}|10.0.0.1:5060|INVITE`));
    expect(seen.size).toBe(50_000);
  });

  it('spreads: one changed input bit flips about half the output bits', () => {
    let flips = 0;
    let total = 0;
    for (let i = 0; i < 500; i++) {
      const a = streamHash.begin(1).add(`key-${i}`).hex32();
      const b = streamHash.begin(1).add(`key-${i ^ 1}`).hex32();
      for (let j = 0; j < 32; j += 8) {
        let x = (parseInt(a.slice(j, j + 8), 16) ^ parseInt(b.slice(j, j + 8), 16)) >>> 0;
        while (x !== 0) { flips += x & 1; x >>>= 1; }
        total += 32;
      }
    }
    expect(flips / total).toBeGreaterThan(0.45);
    expect(flips / total).toBeLessThan(0.55);
  });

  it('keeps string boundaries: parts are not just concatenated', () => {
    expect(loopHashOf(['ab', 'c'])).not.toBe(loopHashOf(['a', 'bc']));
    expect(loopHashOf(['a', 'b'])).toBe(loopHashOf(['a', 'b']));
    expect(loopHashOf(['a', 'b'])).toMatch(/^[0-9a-f]{16}$/);
    expect(forwardBranch('k', 'ab', 0, 'h')).not.toBe(forwardBranch('ka', 'b', 0, 'h'));
    const b = forwardBranch('z9hG4bK1|h:5060|INVITE', 'sip:pbx|udp|10.0.0.2|5060', 2, loopHashOf(['x']));
    expect(b.startsWith('z9hG4bK')).toBe(true);
    expect(loopHashInBranch(b)).toBe(loopHashOf(['x']));
  });
});
