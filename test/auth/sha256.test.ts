import { hash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SHA256_IV, sha256Blocks, sha256Run, sha256State, sha256StateBytes, sha256Work } from '../../src/auth/sha256.ts';

function ours(message: Uint8Array, offset: number): string {
  sha256Work.set(message, offset);
  sha256Run(offset, message.length);
  const out = new Uint8Array(32);
  sha256StateBytes(sha256State, out, 0);
  return Buffer.from(out).toString('hex');
}

describe('JavaScript SHA-256', () => {
  it('matches FIPS 180-4 examples', () => {
    expect(ours(Buffer.from('abc'), 0)).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(ours(Buffer.from(''), 0)).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(ours(Buffer.from('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), 0)).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
  });

  it('matches node:crypto for every length 0..400 at several offsets', () => {
    for (let n = 0; n <= 400; n++) {
      const message = new Uint8Array(n);
      for (let i = 0; i < n; i++) message[i] = (i * 29 + n * 3) & 0xff;
      sha256Work.fill(0x5a);
      expect(ours(message, (n % 3) * 1000), `length ${n}`).toBe(hash('sha256', message, 'hex'));
    }
  });

  it('resumes from a midstate (how the nonce HMAC starts after the key pads)', () => {
    const key = Buffer.alloc(64, 0x11);
    const message = Buffer.from('time|random|realm\u0000192.0.2.1');
    const state = Int32Array.from(SHA256_IV);
    sha256Blocks(state, key, 0, 1);
    message.copy(sha256Work, 0);
    sha256Run(0, message.length, state, 64);
    const out = new Uint8Array(32);
    sha256StateBytes(sha256State, out, 0);
    expect(Buffer.from(out).toString('hex')).toBe(hash('sha256', Buffer.concat([key, message]), 'hex'));
  });
});
