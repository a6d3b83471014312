import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEX_PAIR_LE, hexDecodeInto, hexEncodeInto, hexWordLow, hexWordValue } from '../../src/auth/hex.ts';
import { md5Run, md5State, md5Work } from '../../src/auth/md5.ts';

function ours(message: Uint8Array, offset: number): string {
  md5Work.set(message, offset);
  md5Run(offset, message.length);
  return Buffer.from(md5State.buffer).toString('hex');
}

describe('JavaScript MD5', () => {
  it('matches RFC 1321 test suite', () => {
    const suite: [string, string][] = [
      ['', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['a', '0cc175b9c0f1b6a831c399e269772661'],
      ['abc', '900150983cd24fb0d6963f7d28e17f72'],
      ['message digest', 'f96b697d7cb7938d525a2f31aaf161d0'],
      ['abcdefghijklmnopqrstuvwxyz', 'c3fcd3d76192e4007dfb496cca67e13b'],
      ['ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 'd174ab98d277d9f5a5611c2c9f419d9f'],
      ['1234567890'.repeat(8), '57edf4a22be3c955ac49da2e2107b67a'],
    ];
    for (const [text, digest] of suite) expect(ours(Buffer.from(text), 0)).toBe(digest);
  });

  it('matches node:crypto for every length 0..600 (all padding cases) at several offsets', () => {
    for (let n = 0; n <= 600; n++) {
      const message = new Uint8Array(n);
      for (let i = 0; i < n; i++) message[i] = (i * 131 + n * 7) & 0xff;
      // Dirty the work buffer so padding must be written, not assumed.
      md5Work.fill(0xa5);
      expect(ours(message, (n % 4) * 1024), `length ${n}`).toBe(hash('md5', message, 'hex'));
    }
  });
});

describe('hex helpers', () => {
  it('encode bytes by table, decode either case', () => {
    const bytes = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = new Uint8Array(512);
    hexEncodeInto(bytes, 0, 256, out, 0);
    expect(Buffer.from(out).toString('latin1')).toBe(Buffer.from(bytes).toString('hex'));
    const back = new Uint8Array(4);
    expect(hexDecodeInto('0aFf10c3', back)).toBe(true);
    expect([...back]).toEqual([0x0a, 0xff, 0x10, 0xc3]);
    expect(hexDecodeInto('0aFf10c', back)).toBe(false);
    expect(hexDecodeInto('0aFf10cg', back)).toBe(false);
    expect(hexDecodeInto('0aFf10c\u0100', back)).toBe(false);
  });
  it('hexWordLow of a word and of its high half give its ASCII hex as two little-endian words', () => {
    for (const v of [0, -1, 0x01234567, 0x89abcdef | 0, 0x7f00ff80, 0x0a0b0c0d, 0x9f9a0f0a]) {
      const words = new Int32Array([hexWordLow(v), hexWordLow(v >>> 16)]);
      expect(Buffer.from(words.buffer).toString('latin1')).toBe(Buffer.from(new Int32Array([v]).buffer).toString('hex'));
    }
  });
  it('HEX_PAIR_LE spells each byte, and hexWordValue reads four digits of either case back as two bytes', () => {
    for (let b = 0; b < 256; b++) {
      expect(Buffer.from(new Uint16Array([HEX_PAIR_LE[b]]).buffer).toString('latin1')).toBe(b.toString(16).padStart(2, '0'));
    }
    for (const v of [0, 0xffff, 0x0123, 0x4567, 0x89ab, 0xcdef, 0xa05f, 0x1e2d]) {
      const bytes = Buffer.from([v & 0xff, v >>> 8]);
      for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase()]) {
        const word = Buffer.from(text, 'latin1').readInt32LE(0);
        expect(hexWordValue(word), text).toBe(v);
        expect(HEX_PAIR_LE[v & 0xff] | (HEX_PAIR_LE[v >>> 8] << 16)).toBe(Buffer.from(bytes.toString('hex'), 'latin1').readInt32LE(0));
      }
    }
  });
});
