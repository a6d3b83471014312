// Lowercase hex by table, into and out of preallocated byte arrays (no strings on the hot path).

const DIGITS = '0123456789abcdef';
/** For each byte value, its two lowercase hex digits packed as (high << 8) | low ASCII codes. */
const PAIRS = new Uint16Array(256);
for (let i = 0; i < 256; i++) {
  PAIRS[i] = (DIGITS.charCodeAt(i >>> 4) << 8) | DIGITS.charCodeAt(i & 15);
}

/** Value of an ASCII hex digit (either case), or -1. */
const VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  VALUES[DIGITS.charCodeAt(i)] = i;
  VALUES[DIGITS.toUpperCase().charCodeAt(i)] = i;
}

/** Writes `count` bytes of `src` from `srcAt` as 2*count hex digits into `dst` at `dstAt`. */
export function hexEncodeInto(src: Uint8Array, srcAt: number, count: number, dst: Uint8Array, dstAt: number): void {
  for (let i = 0; i < count; i++) {
    const pair = PAIRS[src[srcAt + i]];
    dst[dstAt++] = pair >>> 8;
    dst[dstAt++] = pair & 0xff;
  }
}

/**
 * Decodes `text` (exactly 2*dst.length hex digits, either case) into `dst`. Returns false when the
 * text has the wrong length or a non-hex character. Runs over the whole text either way.
 */
export function hexDecodeInto(text: string, dst: Uint8Array): boolean {
  if (text.length !== dst.length * 2) return false;
  let bad = 0;
  for (let i = 0; i < dst.length; i++) {
    const hi = text.charCodeAt(2 * i);
    const lo = text.charCodeAt(2 * i + 1);
    const h = hi < 128 ? VALUES[hi] : -1;
    const l = lo < 128 ? VALUES[lo] : -1;
    bad |= h | l;
    dst[i] = (h << 4) | l;
  }
  return bad >= 0;
}

/**
 * The lowercase hex of the low two bytes of a little-endian word, as a little-endian word of four
 * ASCII digits (so hexWordLow(v) and hexWordLow(v >>> 16) spell the word's four bytes), by arithmetic.
 */
export function hexWordLow(v: number): number {
  const n = ((v >>> 4) & 0xf) | ((v & 0xf) << 8) | (((v >>> 12) & 0xf) << 16) | (((v >>> 8) & 0xf) << 24);
  // Per byte: '0' + nibble, plus 39 more for a-f (the 0/1 flag times 39 = 32 + 4 + 2 + 1, no carries).
  const letter = ((n + 0x06060606) >>> 4) & 0x01010101;
  return (n + 0x30303030 + ((letter << 5) | (letter << 2) | (letter << 1) | letter)) | 0;
}

/**
 * For each byte value, its two lowercase hex digits as a little-endian 16-bit pair (first digit in
 * the low byte), so HEX_PAIR_LE[b0] | (HEX_PAIR_LE[b1] << 16) is the ASCII hex of bytes b0, b1 as
 * one little-endian word.
 */
export const HEX_PAIR_LE = new Uint16Array(256);
for (let i = 0; i < 256; i++) HEX_PAIR_LE[i] = DIGITS.charCodeAt(i >>> 4) | (DIGITS.charCodeAt(i & 15) << 8);

/**
 * The inverse of the above for a little-endian word of four ASCII hex digits (either case): the two
 * bytes they spell, first byte low. By arithmetic; the caller must have checked the digits are hex
 * (any other byte gives some value, never an exception).
 */
export function hexWordValue(w: number): number {
  const letter = (w >>> 6) & 0x01010101;
  const n = (w & 0x0f0f0f0f) + (letter << 3) + letter;
  const t = ((n << 4) | (n >>> 8)) & 0x00ff00ff;
  return (t | (t >>> 8)) & 0xffff;
}
