// Reversible encryption for the few secrets the service must give back to something other than a
// digest check (push credentials: APNs certificate and key, GCM/FCM keys). AES-256-GCM with a
// random 96-bit nonce per value; the caller binds each ciphertext to its row and field through the
// additional authenticated data, so a value copied to another row or column fails to open.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

const VERSION = 1;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

export class SecretKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretKeyError';
  }
}

/**
 * Parses EDGE_SECRET_KEY: 64 hex digits, or base64 (standard or URL-safe) of exactly 32 bytes.
 * Throws SecretKeyError (whose message never contains the key) when it is neither.
 */
export function parseSecretKey(text: string): Buffer {
  const s = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(s)) return Buffer.from(s, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(s)) {
    const key = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
  }
  throw new SecretKeyError('EDGE_SECRET_KEY must be 64 hex characters or the base64 encoding of 32 bytes');
}

export interface SecretBox {
  /** Encrypts `plaintext` (UTF-8) bound to `context`. Output: version ‖ nonce ‖ tag ‖ ciphertext. */
  seal(plaintext: string, context: string): Buffer;
  /** Decrypts a value sealed with the same key and context; throws when it was altered. */
  open(sealed: Uint8Array, context: string): string;
}

/** A box for a 32-byte key. The key is copied, so the caller may wipe its buffer. */
export function createSecretBox(key: Uint8Array): SecretBox {
  if (key.length !== 32) throw new SecretKeyError('secret key must be 32 bytes');
  const k = Buffer.from(key);
  return {
    seal(plaintext, context) {
      const nonce = randomBytes(NONCE_BYTES);
      const cipher = createCipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.of(VERSION), nonce, cipher.getAuthTag(), body]);
    },
    open(sealed, context) {
      const buf = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
      if (buf.length < 1 + NONCE_BYTES + TAG_BYTES || buf[0] !== VERSION) throw new SecretKeyError('sealed value is malformed');
      const nonce = buf.subarray(1, 1 + NONCE_BYTES);
      const tag = buf.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', k, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(buf.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}

/** The box configured by EDGE_SECRET_KEY, or null when the variable is unset or empty. */
export function secretBoxFromEnv(env: NodeJS.ProcessEnv = process.env): SecretBox | null {
  const text = env.EDGE_SECRET_KEY;
  if (text === undefined || text.trim() === '') return null;
  const key = parseSecretKey(text);
  const box = createSecretBox(key);
  key.fill(0);
  return box;
}
