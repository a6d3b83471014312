// SHA-256 (FIPS 180-4) in plain JavaScript over a module-owned, preallocated work buffer, with
// resumable state so HMAC can start from precomputed key-pad midstates. On Node 24 a one-shot
// crypto.hash call costs microseconds of fixed overhead (provider lookups, object creation), several
// times the few compressions our short messages need (see bench/digest.bench.ts). Not reentrant;
// nothing here allocates after load.

const K = Int32Array.of(
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
);

/** Initial hash value H(0). */
export const SHA256_IV = Int32Array.of(
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
);

/** Size of the work buffer; a message plus its padding (up to 72 bytes) must fit. */
export const SHA256_WORK_BYTES = 4096;

/** Where callers assemble messages. */
export const sha256Work: Buffer = Buffer.alloc(SHA256_WORK_BYTES);
/** Result of the last sha256Run: eight big-endian words. */
export const sha256State = new Int32Array(8);
const w = new Int32Array(64);

/** Runs the compression over `blocks` 64-byte blocks of `bytes` from `offset`, updating `state`. */
export function sha256Blocks(state: Int32Array, bytes: Uint8Array, offset: number, blocks: number): void {
  let h0 = state[0], h1 = state[1], h2 = state[2], h3 = state[3];
  let h4 = state[4], h5 = state[5], h6 = state[6], h7 = state[7];
  for (let block = 0; block < blocks; block++) {
    let p = offset + block * 64;
    for (let t = 0; t < 16; t++, p += 4) {
      w[t] = (bytes[p] << 24) | (bytes[p + 1] << 16) | (bytes[p + 2] << 8) | bytes[p + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15];
      const y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const t1 = (h + S1 + (g ^ (e & (f ^ g))) + K[t] + w[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const t2 = (S0 + ((a & b) | (c & (a | b)))) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  state[0] = h0; state[1] = h1; state[2] = h2; state[3] = h3;
  state[4] = h4; state[5] = h5; state[6] = h6; state[7] = h7;
}

/**
 * Hashes sha256Work[offset, offset + length), continuing from `from` (a state after `prefixBytes`
 * bytes, a multiple of 64; default: a fresh hash). Pads in place after the message. Result in
 * sha256State.
 */
export function sha256Run(offset: number, length: number, from: Int32Array = SHA256_IV, prefixBytes = 0): void {
  const buf = sha256Work;
  const blocks = ((length + 8) >>> 6) + 1;
  const end = offset + blocks * 64;
  buf[offset + length] = 0x80;
  for (let i = offset + length + 1; i < end - 8; i++) buf[i] = 0;
  const bits = (prefixBytes + length) * 8;
  const high = Math.floor(bits / 0x100000000);
  buf.writeUInt32BE(high >>> 0, end - 8);
  buf.writeUInt32BE(bits >>> 0, end - 4);
  sha256State.set(from);
  sha256Blocks(sha256State, buf, offset, blocks);
}

/** Writes the state's eight words big-endian into `out` at `at` (32 bytes). */
export function sha256StateBytes(state: Int32Array, out: Uint8Array, at: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i];
    out[at++] = v >>> 24;
    out[at++] = (v >>> 16) & 0xff;
    out[at++] = (v >>> 8) & 0xff;
    out[at++] = v & 0xff;
  }
}
