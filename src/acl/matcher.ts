// Compiled ACL: the union of a target's prefixes as sorted, merged address ranges per family, so a
// lookup is one address parse plus a binary search (at most log2(prefixes) steps, well under the
// address bit count). Addresses arrive as socket text (dotted quad, IPv6, ::ffff:a.b.c.d, or
// link-local with a %zone, which is ignored); IPv4-mapped IPv6 is matched as IPv4.
import { parseIpv4Bits, parseIpv6Groups } from './ip.ts';
import { prefixRange, type AclPrefix } from './prefix.ts';

export interface AclMatcher {
  /** True when the address lies in one of the prefixes; false for anything that is not an address. */
  contains(address: string): boolean;
  /** Number of merged ranges (for metrics and tests). */
  readonly ranges: number;
}

/** Invalid prefixes (which the control plane never stores) are skipped and counted here. */
export interface CompiledAcl extends AclMatcher {
  readonly skipped: number;
}

const groups = new Uint16Array(8);
const probe = new Uint32Array(4);

function bytesToV4(b: Uint8Array): number {
  return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
}

function bytesToWords(b: Uint8Array, out: Uint32Array, at: number): void {
  for (let w = 0; w < 4; w++) {
    out[at + w] = ((b[4 * w] << 24) | (b[4 * w + 1] << 16) | (b[4 * w + 2] << 8) | b[4 * w + 3]) >>> 0;
  }
}

/** Compares 4-word values a[ai..] and b[bi..]: negative, zero or positive. */
function compareWords(a: Uint32Array, ai: number, b: Uint32Array, bi: number): number {
  for (let w = 0; w < 4; w++) {
    const x = a[ai + w];
    const y = b[bi + w];
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Adds one to a 4-word value in place; returns false on overflow past the top. */
function incrementWords(v: Uint32Array): boolean {
  for (let w = 3; w >= 0; w--) {
    if (v[w] !== 0xffffffff) {
      v[w]++;
      return true;
    }
    v[w] = 0;
  }
  return false;
}

export function compileAcl(prefixes: readonly AclPrefix[]): CompiledAcl {
  const v4: [number, number][] = [];
  const v6: Uint32Array[] = [];
  let skipped = 0;
  for (const prefix of prefixes) {
    const range = prefixRange(prefix);
    if (range === null) {
      skipped++;
    } else if (range.family === 4) {
      v4.push([bytesToV4(range.first), bytesToV4(range.last)]);
    } else {
      const pair = new Uint32Array(8);
      bytesToWords(range.first, pair, 0);
      bytesToWords(range.last, pair, 4);
      v6.push(pair);
    }
  }

  // IPv4: sort by start, merge overlapping or adjacent ranges.
  v4.sort((a, b) => a[0] - b[0]);
  const v4Start: number[] = [];
  const v4End: number[] = [];
  for (const [first, last] of v4) {
    const n = v4End.length;
    if (n > 0 && first <= v4End[n - 1] + 1) {
      if (last > v4End[n - 1]) v4End[n - 1] = last;
    } else {
      v4Start.push(first);
      v4End.push(last);
    }
  }
  const starts4 = Float64Array.from(v4Start);
  const ends4 = Float64Array.from(v4End);

  // IPv6: same over 128-bit values held as four words.
  v6.sort((a, b) => compareWords(a, 0, b, 0));
  const merged6: Uint32Array[] = [];
  for (const pair of v6) {
    const top = merged6[merged6.length - 1];
    if (top !== undefined) {
      const afterTop = top.slice(4, 8);
      const noGap = !incrementWords(afterTop) || compareWords(pair, 0, afterTop, 0) <= 0;
      if (noGap) {
        if (compareWords(pair, 4, top, 4) > 0) top.set(pair.subarray(4, 8), 4);
        continue;
      }
    }
    merged6.push(Uint32Array.from(pair));
  }
  const table6 = new Uint32Array(merged6.length * 8);
  merged6.forEach((pair, i) => table6.set(pair, i * 8));
  const count6 = merged6.length;

  function containsV4(x: number): boolean {
    let lo = 0;
    let hi = starts4.length - 1;
    // Last range starting at or before x.
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (starts4[mid] <= x) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && x <= ends4[found];
  }

  function containsV6(): boolean {
    let lo = 0;
    let hi = count6 - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (compareWords(table6, mid * 8, probe, 0) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found >= 0 && compareWords(probe, 0, table6, found * 8 + 4) <= 0;
  }

  return {
    ranges: starts4.length + count6,
    skipped,
    contains(address: string): boolean {
      if (typeof address !== 'string') return false;
      if (address.indexOf(':') < 0) {
        const bits = parseIpv4Bits(address, 0, address.length);
        return bits >= 0 && containsV4(bits);
      }
      const zone = address.indexOf('%');
      if (!parseIpv6Groups(address, 0, zone < 0 ? address.length : zone, groups)) return false;
      if (groups[0] === 0 && groups[1] === 0 && groups[2] === 0 && groups[3] === 0 && groups[4] === 0 && groups[5] === 0xffff) {
        return containsV4(groups[6] * 65536 + groups[7]);
      }
      for (let w = 0; w < 4; w++) probe[w] = ((groups[2 * w] << 16) | groups[2 * w + 1]) >>> 0;
      return containsV6();
    },
  };
}
