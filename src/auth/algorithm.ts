// Digest algorithms we challenge with and verify (RFC 7616 §6.1 names; SHA-512-256 is SHA-512/256
// as corrected by RFC 7616 erratum 4897 and used by RFC 8760).

export type DigestAlgorithm = 'MD5' | 'SHA-256' | 'SHA-512-256';

export const DIGEST_ALGORITHMS: readonly DigestAlgorithm[] = ['MD5', 'SHA-256', 'SHA-512-256'];

/** Length in hex digits of a response computed with the algorithm. */
export function responseHexLength(algorithm: DigestAlgorithm): number {
  return algorithm === 'MD5' ? 32 : 64;
}

/** The algorithm named by `text` (case-insensitive), or null for anything we do not verify (the -sess variants included). */
export function algorithmFromName(text: string): DigestAlgorithm | null {
  switch (text.toUpperCase()) {
    case 'MD5':
      return 'MD5';
    case 'SHA-256':
      return 'SHA-256';
    case 'SHA-512-256':
      return 'SHA-512-256';
    default:
      return null;
  }
}

/**
 * Parses a preference list such as `SHA-256,MD5` (EDGE_DIGEST_ALGORITHMS). Returns the algorithms in
 * order, or null when the list is empty, names an unknown algorithm or repeats one.
 */
export function parseAlgorithmList(text: string): DigestAlgorithm[] | null {
  const out: DigestAlgorithm[] = [];
  for (const part of text.split(',')) {
    const algorithm = algorithmFromName(part.trim());
    if (algorithm === null || out.includes(algorithm)) return null;
    out.push(algorithm);
  }
  return out.length > 0 ? out : null;
}
