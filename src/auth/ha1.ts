// HA1 = H(username ":" realm ":" password) for each digest algorithm we verify (RFC 7616 §3.4.2,
// RFC 8760). The control plane derives these once at credential creation and stores only them.
import { hash } from 'node:crypto';

/** HA1s for one user and realm, lowercase hex. Structurally identical to gate's UserHa1. */
export interface Ha1Set {
  md5: string;
  sha256: string;
  sha512_256: string;
}

/** Derives the HA1 of every supported algorithm. Inputs are encoded as UTF-8. */
export function deriveHa1(username: string, realm: string, password: string): Ha1Set {
  const a1 = Buffer.from(`${username}:${realm}:${password}`, 'utf8');
  const set: Ha1Set = {
    md5: hash('md5', a1, 'hex'),
    sha256: hash('sha256', a1, 'hex'),
    sha512_256: hash('sha512-256', a1, 'hex'),
  };
  a1.fill(0);
  return set;
}

/**
 * A stored HA1 set readied for verifyDigestPrepared: the MD5 HA1's 32 hex characters as the eight
 * little-endian words the MD5 message starts with. Build it once, when the HA1 record is loaded or
 * compiled (for every user alike), never lazily on a user's first request: a lazy cache would make a
 * known user's first attempt slower than an unknown user's.
 */
export interface PreparedHa1 extends Ha1Set {
  readonly md5Words: Int32Array;
}

/** Prepares `set` (see PreparedHa1). Characters are taken as latin1; a malformed MD5 HA1 still fails verification. */
export function prepareHa1(set: Ha1Set): PreparedHa1 {
  const md5Words = new Int32Array(8);
  for (let i = 0; i < 32 && i < set.md5.length; i++) md5Words[i >>> 2] |= (set.md5.charCodeAt(i) & 0xff) << ((i & 3) * 8);
  return { md5: set.md5, sha256: set.sha256, sha512_256: set.sha512_256, md5Words };
}
