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
