// MD5 (RFC 1321) in plain JavaScript over a module-owned, preallocated work buffer. For the short
// messages of digest authentication (one to three 64-byte blocks) this beats node:crypto, whose cost
// is dominated by per-call overhead, not by compression (see bench/digest.bench.ts). Callers write
// the message into `md5Work` at a 4-aligned offset, leave room for padding after it, call `md5Run`
// and read the digest words from `md5State` (little-endian: byte i of the digest is byte i%4 of word
// i>>2). Not reentrant; nothing here allocates.
//
// Each step adds in the order x + T + a + F: the message word, the constant and the old register do
// not depend on the previous step, so only F, one add, the rotation and the add of b wait for it
// (in round 2, G = (b & d) + (c & ~d) puts c & ~d off that path too). Written as a + F + x + T the
// same code runs about 1.5x slower (md5Run alone on this machine: ~150 against ~100 ns per block,
// which is what node:crypto's assembly MD5 takes per block on long input). A WebAssembly build of
// the same rounds, with either order, measured the same as this JavaScript, so there is none.
import { endianness } from 'node:os';

if (endianness() !== 'LE') throw new Error('src/auth/md5.ts assumes a little-endian platform');

/** Size of the work buffer; a message plus its padding must fit. */
export const MD5_WORK_BYTES = 8192;
/** Padding needs up to this many bytes after the message. */
export const MD5_PAD_BYTES = 72;

const arena = new ArrayBuffer(MD5_WORK_BYTES);
/** Where callers assemble messages. */
export const md5Work: Buffer = Buffer.from(arena);
const words = new Int32Array(arena);
/** md5Work as little-endian words (word i is bytes 4i..4i+3), for callers that assemble aligned words. */
export const md5Words: Int32Array = words;
/** Digest of the last md5Run as four little-endian words. */
export const md5State = new Int32Array(4);

/** Hashes md5Work[offset, offset + length); offset must be a multiple of 4. Overwrites the padding area. */
export function md5Run(offset: number, length: number): void {
  const blocks = ((length + 8) >>> 6) + 1;
  const lengthAt = offset + blocks * 64 - 8;
  let i = offset + length;
  md5Work[i++] = 0x80;
  while ((i & 3) !== 0) md5Work[i++] = 0;
  for (let w = i >>> 2, stop = lengthAt >>> 2; w < stop; w++) words[w] = 0;
  words[lengthAt >>> 2] = length << 3;
  words[(lengthAt >>> 2) + 1] = length >>> 29;

  let a = 0x67452301;
  let b = 0xefcdab89 | 0;
  let c = 0x98badcfe | 0;
  let d = 0x10325476;
  for (let base = offset >>> 2, last = base + blocks * 16; base < last; base += 16) {
    const x0 = words[base], x1 = words[base + 1], x2 = words[base + 2], x3 = words[base + 3];
    const x4 = words[base + 4], x5 = words[base + 5], x6 = words[base + 6], x7 = words[base + 7];
    const x8 = words[base + 8], x9 = words[base + 9], x10 = words[base + 10], x11 = words[base + 11];
    const x12 = words[base + 12], x13 = words[base + 13], x14 = words[base + 14], x15 = words[base + 15];
    const a0 = a, b0 = b, c0 = c, d0 = d;
    a = (x0 - 0x28955b88 + a + (d ^ (b & (c ^ d)))) | 0;
    a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (x1 - 0x173848aa + d + (c ^ (a & (b ^ c)))) | 0;
    d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (x2 + 0x242070db + c + (b ^ (d & (a ^ b)))) | 0;
    c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (x3 - 0x3e423112 + b + (a ^ (c & (d ^ a)))) | 0;
    b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (x4 - 0xa83f051 + a + (d ^ (b & (c ^ d)))) | 0;
    a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (x5 + 0x4787c62a + d + (c ^ (a & (b ^ c)))) | 0;
    d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (x6 - 0x57cfb9ed + c + (b ^ (d & (a ^ b)))) | 0;
    c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (x7 - 0x2b96aff + b + (a ^ (c & (d ^ a)))) | 0;
    b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (x8 + 0x698098d8 + a + (d ^ (b & (c ^ d)))) | 0;
    a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (x9 - 0x74bb0851 + d + (c ^ (a & (b ^ c)))) | 0;
    d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (x10 - 0xa44f + c + (b ^ (d & (a ^ b)))) | 0;
    c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (x11 - 0x76a32842 + b + (a ^ (c & (d ^ a)))) | 0;
    b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (x12 + 0x6b901122 + a + (d ^ (b & (c ^ d)))) | 0;
    a = ((a << 7) | (a >>> 25)) + b | 0;
    d = (x13 - 0x2678e6d + d + (c ^ (a & (b ^ c)))) | 0;
    d = ((d << 12) | (d >>> 20)) + a | 0;
    c = (x14 - 0x5986bc72 + c + (b ^ (d & (a ^ b)))) | 0;
    c = ((c << 17) | (c >>> 15)) + d | 0;
    b = (x15 + 0x49b40821 + b + (a ^ (c & (d ^ a)))) | 0;
    b = ((b << 22) | (b >>> 10)) + c | 0;
    a = (x1 - 0x9e1da9e + a + (c & ~d) + (b & d)) | 0;
    a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (x6 - 0x3fbf4cc0 + d + (b & ~c) + (a & c)) | 0;
    d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (x11 + 0x265e5a51 + c + (a & ~b) + (d & b)) | 0;
    c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (x0 - 0x16493856 + b + (d & ~a) + (c & a)) | 0;
    b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (x5 - 0x29d0efa3 + a + (c & ~d) + (b & d)) | 0;
    a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (x10 + 0x2441453 + d + (b & ~c) + (a & c)) | 0;
    d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (x15 - 0x275e197f + c + (a & ~b) + (d & b)) | 0;
    c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (x4 - 0x182c0438 + b + (d & ~a) + (c & a)) | 0;
    b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (x9 + 0x21e1cde6 + a + (c & ~d) + (b & d)) | 0;
    a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (x14 - 0x3cc8f82a + d + (b & ~c) + (a & c)) | 0;
    d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (x3 - 0xb2af279 + c + (a & ~b) + (d & b)) | 0;
    c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (x8 + 0x455a14ed + b + (d & ~a) + (c & a)) | 0;
    b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (x13 - 0x561c16fb + a + (c & ~d) + (b & d)) | 0;
    a = ((a << 5) | (a >>> 27)) + b | 0;
    d = (x2 - 0x3105c08 + d + (b & ~c) + (a & c)) | 0;
    d = ((d << 9) | (d >>> 23)) + a | 0;
    c = (x7 + 0x676f02d9 + c + (a & ~b) + (d & b)) | 0;
    c = ((c << 14) | (c >>> 18)) + d | 0;
    b = (x12 - 0x72d5b376 + b + (d & ~a) + (c & a)) | 0;
    b = ((b << 20) | (b >>> 12)) + c | 0;
    a = (x5 - 0x5c6be + a + (c ^ d ^ b)) | 0;
    a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (x8 - 0x788e097f + d + (b ^ c ^ a)) | 0;
    d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (x11 + 0x6d9d6122 + c + (a ^ b ^ d)) | 0;
    c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (x14 - 0x21ac7f4 + b + (d ^ a ^ c)) | 0;
    b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (x1 - 0x5b4115bc + a + (c ^ d ^ b)) | 0;
    a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (x4 + 0x4bdecfa9 + d + (b ^ c ^ a)) | 0;
    d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (x7 - 0x944b4a0 + c + (a ^ b ^ d)) | 0;
    c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (x10 - 0x41404390 + b + (d ^ a ^ c)) | 0;
    b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (x13 + 0x289b7ec6 + a + (c ^ d ^ b)) | 0;
    a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (x0 - 0x155ed806 + d + (b ^ c ^ a)) | 0;
    d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (x3 - 0x2b10cf7b + c + (a ^ b ^ d)) | 0;
    c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (x6 + 0x4881d05 + b + (d ^ a ^ c)) | 0;
    b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (x9 - 0x262b2fc7 + a + (c ^ d ^ b)) | 0;
    a = ((a << 4) | (a >>> 28)) + b | 0;
    d = (x12 - 0x1924661b + d + (b ^ c ^ a)) | 0;
    d = ((d << 11) | (d >>> 21)) + a | 0;
    c = (x15 + 0x1fa27cf8 + c + (a ^ b ^ d)) | 0;
    c = ((c << 16) | (c >>> 16)) + d | 0;
    b = (x2 - 0x3b53a99b + b + (d ^ a ^ c)) | 0;
    b = ((b << 23) | (b >>> 9)) + c | 0;
    a = (x0 - 0xbd6ddbc + a + (c ^ (b | ~d))) | 0;
    a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (x7 + 0x432aff97 + d + (b ^ (a | ~c))) | 0;
    d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (x14 - 0x546bdc59 + c + (a ^ (d | ~b))) | 0;
    c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (x5 - 0x36c5fc7 + b + (d ^ (c | ~a))) | 0;
    b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (x12 + 0x655b59c3 + a + (c ^ (b | ~d))) | 0;
    a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (x3 - 0x70f3336e + d + (b ^ (a | ~c))) | 0;
    d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (x10 - 0x100b83 + c + (a ^ (d | ~b))) | 0;
    c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (x1 - 0x7a7ba22f + b + (d ^ (c | ~a))) | 0;
    b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (x8 + 0x6fa87e4f + a + (c ^ (b | ~d))) | 0;
    a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (x15 - 0x1d31920 + d + (b ^ (a | ~c))) | 0;
    d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (x6 - 0x5cfebcec + c + (a ^ (d | ~b))) | 0;
    c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (x13 + 0x4e0811a1 + b + (d ^ (c | ~a))) | 0;
    b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (x4 - 0x8ac817e + a + (c ^ (b | ~d))) | 0;
    a = ((a << 6) | (a >>> 26)) + b | 0;
    d = (x11 - 0x42c50dcb + d + (b ^ (a | ~c))) | 0;
    d = ((d << 10) | (d >>> 22)) + a | 0;
    c = (x2 + 0x2ad7d2bb + c + (a ^ (d | ~b))) | 0;
    c = ((c << 15) | (c >>> 17)) + d | 0;
    b = (x9 - 0x14792c6f + b + (d ^ (c | ~a))) | 0;
    b = ((b << 21) | (b >>> 11)) + c | 0;
    a = (a + a0) | 0;
    b = (b + b0) | 0;
    c = (c + c0) | 0;
    d = (d + d0) | 0;
  }
  md5State[0] = a;
  md5State[1] = b;
  md5State[2] = c;
  md5State[3] = d;
}
