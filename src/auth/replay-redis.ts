// Cluster-wide replay guard (EDGE_REPLAY=redis): the highest nonce-count seen per nonce lives in
// Redis, so a (nonce, nc) accepted by one edge node is refused by every other. The check and the
// update are one Lua script (atomic); each key expires with its nonce. When Redis fails, a local
// fallback guard (the in-memory one) answers and the error is reported, so authentication keeps
// working per node; without a fallback the promise rejects.
import type { Cluster, Redis } from 'ioredis';
import type { ReplayGuard } from './replay.ts';

// KEYS[1]: nonce key. ARGV: nc, ttl seconds. Returns 1 when nc is higher than any recorded.
const ADMIT_SCRIPT = `
local cur = redis.call('GET', KEYS[1])
if cur and tonumber(cur) >= tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
`;

const COMMAND = 'edgeAdmitNonceCount';

/** Redis key of a nonce's highest nc. Nonces are base64url (no spaces, no braces). */
export function replayKey(nonce: string): string {
  return 'edge:nc:' + nonce;
}

export interface RedisReplayGuardOptions {
  /** Answers when Redis fails (e.g. a MemoryReplayGuard). */
  fallback?: ReplayGuard;
  onError?: (err: unknown) => void;
  /** Kept beyond the nonce's expiry to cover clock differences between nodes. Default 5 s. */
  graceSeconds?: number;
  /** Longest nonce accepted (our nonces are 36 characters). Default 64. */
  maxNonceLength?: number;
}

type AdmitCommand = (key: string, nc: number, ttl: number) => Promise<number>;

export class RedisReplayGuard implements ReplayGuard {
  readonly #admit: AdmitCommand;
  readonly #fallback: ReplayGuard | undefined;
  readonly #onError: (err: unknown) => void;
  readonly #grace: number;
  readonly #maxNonce: number;

  constructor(client: Redis | Cluster, options: RedisReplayGuardOptions = {}) {
    if (!(COMMAND in client)) client.defineCommand(COMMAND, { numberOfKeys: 1, lua: ADMIT_SCRIPT });
    const command = (client as unknown as Record<string, AdmitCommand>)[COMMAND]!;
    this.#admit = command.bind(client);
    this.#fallback = options.fallback;
    this.#onError = options.onError ?? (() => {});
    this.#grace = options.graceSeconds ?? 5;
    this.#maxNonce = options.maxNonceLength ?? 64;
  }

  admit(nonce: string, nc: number, expiresAtSeconds: number, nowSeconds: number): boolean | Promise<boolean> {
    if (!(expiresAtSeconds > nowSeconds) || !(nc >= 1 && nc <= 0xffffffff) || nonce.length > this.#maxNonce) return false;
    const ttl = Math.ceil(expiresAtSeconds - nowSeconds) + this.#grace;
    return this.#admit(replayKey(nonce), nc, ttl).then(
      (result) => result === 1,
      (err: unknown) => {
        this.#onError(err);
        if (this.#fallback === undefined) throw err;
        return this.#fallback.admit(nonce, nc, expiresAtSeconds, nowSeconds);
      },
    );
  }
}
