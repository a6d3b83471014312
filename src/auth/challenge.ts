// Digest challenges (RFC 3261 §22.4, RFC 7616 §3.3): one header value per algorithm, in the
// configured preference order. The parts that never change (realm, qop, algorithm) are built once.
import type { DigestAlgorithm } from './algorithm.ts';

/** 401 challenges REGISTER (and requests to the edge as a registrar); 407 everything proxied. */
export type ChallengeStatus = 401 | 407;

/** Header that carries the challenge for a status. */
export function challengeHeaderName(status: ChallengeStatus): 'WWW-Authenticate' | 'Proxy-Authenticate' {
  return status === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
}

/** Header the client answers a challenge of this status with. */
export function credentialsHeaderName(status: ChallengeStatus): 'Authorization' | 'Proxy-Authorization' {
  return status === 401 ? 'Authorization' : 'Proxy-Authorization';
}

/** A quoted-string for `text` (RFC 3261 §25.1): backslash before '"' and '\'. */
export function quote(text: string): string {
  let out = '"';
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      out += text.slice(run, i) + '\\';
      run = i;
    }
  }
  return out + text.slice(run) + '"';
}

export class ChallengeBuilder {
  readonly realm: string;
  readonly algorithms: readonly DigestAlgorithm[];
  readonly #head: string;
  readonly #tails: readonly string[];
  readonly #staleTails: readonly string[];

  constructor(realm: string, algorithms: readonly DigestAlgorithm[]) {
    if (algorithms.length === 0) throw new RangeError('at least one digest algorithm is required');
    for (let i = 0; i < realm.length; i++) {
      const c = realm.charCodeAt(i);
      if (c < 0x20 || c === 0x7f) throw new RangeError('realm contains a control character');
    }
    this.realm = realm;
    this.algorithms = [...algorithms];
    this.#head = `Digest realm=${quote(realm)}, nonce="`;
    this.#tails = algorithms.map((a) => `", qop="auth", algorithm=${a}`);
    this.#staleTails = this.#tails.map((t) => `${t}, stale=true`);
  }

  /**
   * Header values for one challenge, one per algorithm in preference order. `nonce` is a minted
   * nonce (base64url, needs no escaping); `stale` tells the client its nonce expired but its
   * credentials were right (RFC 7616 §3.3), so it retries without asking the user.
   */
  build(nonce: string, stale = false): string[] {
    const tails = stale ? this.#staleTails : this.#tails;
    const out = new Array<string>(tails.length);
    for (let i = 0; i < tails.length; i++) out[i] = this.#head + nonce + tails[i];
    return out;
  }
}
