// AES-256-GCM sealing of push credential secrets: key formats, round trip, binding to the context,
// tamper detection, and no key material in error messages.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SecretKeyError, createSecretBox, parseSecretKey, secretBoxFromEnv } from '../../src/store/secret-box.ts';

const KEY = randomBytes(32);

describe('parseSecretKey', () => {
  it('accepts 64 hex digits and base64 (standard or URL-safe) of 32 bytes', () => {
    expect(parseSecretKey(KEY.toString('hex'))).toEqual(KEY);
    expect(parseSecretKey(KEY.toString('hex').toUpperCase())).toEqual(KEY);
    expect(parseSecretKey(KEY.toString('base64'))).toEqual(KEY);
    expect(parseSecretKey(KEY.toString('base64url'))).toEqual(KEY);
    expect(parseSecretKey(`  ${KEY.toString('hex')}\n`)).toEqual(KEY);
  });

  it('refuses other lengths and encodings without echoing the value', () => {
    for (const bad of ['', 'abc', KEY.toString('hex').slice(2), randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), 'z'.repeat(64)]) {
      let err: unknown;
      try {
        parseSecretKey(bad);
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(SecretKeyError);
      if (bad.length > 3) expect((err as Error).message.includes(bad)).toBe(false);
    }
  });
});

describe('createSecretBox', () => {
  const box = createSecretBox(KEY);

  it('round-trips UTF-8 text and uses a fresh nonce each time', () => {
    const text = '-----BEGIN KEY-----\nmaterial é ✓\n-----END KEY-----';
    const a = box.seal(text, 'CR1:private_key');
    const b = box.seal(text, 'CR1:private_key');
    expect(a.equals(b)).toBe(false);
    expect(a.includes(Buffer.from('material'))).toBe(false);
    expect(box.open(a, 'CR1:private_key')).toBe(text);
    expect(box.open(new Uint8Array(b), 'CR1:private_key')).toBe(text);
  });

  it('refuses another context, another key, and any altered byte', () => {
    const sealed = box.seal('secret value', 'CR1:secret');
    expect(() => box.open(sealed, 'CR2:secret')).toThrow();
    expect(() => createSecretBox(randomBytes(32)).open(sealed, 'CR1:secret')).toThrow();
    for (const i of [0, 5, 20, sealed.length - 1]) {
      const altered = Buffer.from(sealed);
      altered[i] = altered[i]! ^ 1;
      expect(() => box.open(altered, 'CR1:secret'), `byte ${i}`).toThrow();
    }
    expect(() => box.open(sealed.subarray(0, 10), 'CR1:secret')).toThrow(SecretKeyError);
  });

  it('needs a 32-byte key', () => {
    expect(() => createSecretBox(randomBytes(16))).toThrow(SecretKeyError);
  });
});

describe('secretBoxFromEnv', () => {
  it('is null when EDGE_SECRET_KEY is unset or empty, a working box otherwise', () => {
    expect(secretBoxFromEnv({})).toBeNull();
    expect(secretBoxFromEnv({ EDGE_SECRET_KEY: '  ' })).toBeNull();
    const box = secretBoxFromEnv({ EDGE_SECRET_KEY: KEY.toString('hex') })!;
    expect(createSecretBox(KEY).open(box.seal('x', 'c'), 'c')).toBe('x');
    expect(() => secretBoxFromEnv({ EDGE_SECRET_KEY: 'nope' })).toThrow(SecretKeyError);
  });
});
