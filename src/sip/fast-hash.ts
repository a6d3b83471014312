// Fast non-cryptographic string hashes for values that must be well spread and stable but are not
// secrets: the To tags of the edge's own responses, branch ids built on an already unique incoming
// branch, and loop hashes. Avoids a native crypto call per message.
//
// The streaming hasher runs four multiply-xor lanes (cyrb53's construction, which it replaced, has
// two) in one pass over any number of strings (no joined string), and renders its 128 bits as hex
// through a byte table (no toString(16), no padStart, no float modulo).

const HEX2: readonly string[] = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** x as 8 lowercase hex digits (its 32 bits, unsigned). */
export function hex8(x: number): string {
  return HEX2[(x >>> 24) & 0xff]! + HEX2[(x >>> 16) & 0xff]! + HEX2[(x >>> 8) & 0xff]! + HEX2[x & 0xff]!;
}

/**
 * A streaming 128-bit hash: begin(seed), then add()/addCode() any number of times, then hex32()
 * or hex16() (both end the hash). One instance, not reentrant (nothing here calls out).
 */
class StreamHash {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;

  begin(seed: number): this {
    this.a = 0xdeadbeef ^ seed;
    this.b = 0x41c6ce57 ^ seed;
    this.c = 0x7f4a7c15 ^ seed;
    this.d = 0x2545f491 ^ seed;
    return this;
  }

  /** Mixes every UTF-16 code unit of text. */
  add(text: string): this {
    let a = this.a, b = this.b, c = this.c, d = this.d;
    for (let i = 0; i < text.length; i++) {
      const x = text.charCodeAt(i);
      a = Math.imul(a ^ x, 2654435761);
      b = Math.imul(b ^ x, 1597334677);
      c = Math.imul(c ^ x, 2246822519);
      d = Math.imul(d ^ x, 3266489917);
    }
    this.a = a; this.b = b; this.c = c; this.d = d;
    return this;
  }

  /** Mixes one 32-bit value (a separator, or a small number such as a CSeq or an attempt). */
  addCode(x: number): this {
    this.a = Math.imul(this.a ^ x, 2654435761);
    this.b = Math.imul(this.b ^ x, 1597334677);
    this.c = Math.imul(this.c ^ x, 2246822519);
    this.d = Math.imul(this.d ^ x, 3266489917);
    return this;
  }

  private finish(): void {
    let a = this.a, b = this.b, c = this.c, d = this.d;
    // Cross the lanes, then murmur3's fmix32 avalanche on each.
    a ^= d >>> 15; b ^= a >>> 13; c ^= b >>> 11; d ^= c >>> 17;
    a = fmix32((a + Math.imul(b, 0x9e3779b1)) | 0); b = fmix32(b ^ a);
    c = fmix32((c + Math.imul(d, 0x85ebca77)) | 0); d = fmix32(d ^ c);
    this.a = a; this.b = b; this.c = c; this.d = d;
  }

  /** 32 hex digits (128 bits). */
  hex32(): string {
    this.finish();
    return hex8(this.a) + hex8(this.b) + hex8(this.c) + hex8(this.d);
  }

  /** 16 hex digits (64 bits). */
  hex16(): string {
    this.finish();
    return hex8(this.a ^ this.c) + hex8(this.b ^ this.d);
  }
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** The module's shared hasher (single-threaded, used synchronously). */
export const streamHash = new StreamHash();
