// Digest responses computed by node:crypto, the oracle the verification tests check src/auth against.
import { hash } from 'node:crypto';
import type { DigestAlgorithm } from '../../src/auth/algorithm.ts';

/** Characters the property tests draw field values from. */
export const FIELD_ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.+/=~';

/** Everything a digest response is computed from. */
export interface DigestFields {
  username: string;
  realm: string;
  password: string;
  method: string;
  nonce: string;
  uri: string;
  nc: string;
  cnonce: string;
  qop: string | null;
  algorithm: DigestAlgorithm;
}

const NODE_ALG: Record<DigestAlgorithm, string> = { MD5: 'md5', 'SHA-256': 'sha256', 'SHA-512-256': 'sha512-256' };

/** The response a UA computes for these fields (RFC 7616 §3.4.1; without qop, RFC 2069 style). */
export function oracleResponse(f: DigestFields): string {
  const h = (s: string) => hash(NODE_ALG[f.algorithm], s, 'hex');
  const ha1 = h(`${f.username}:${f.realm}:${f.password}`);
  const ha2 = h(`${f.method}:${f.uri}`);
  return f.qop === null ? h(`${ha1}:${f.nonce}:${ha2}`) : h(`${ha1}:${f.nonce}:${f.nc}:${f.cnonce}:${f.qop}:${ha2}`);
}
