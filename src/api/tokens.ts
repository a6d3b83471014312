// Auth tokens are 128 random bits (32 hex digits, as Twilio's). A single SHA-256 is enough to store
// them: a slow password hash protects guessable secrets, and a uniformly random 128-bit token cannot
// be guessed or brute-forced from its hash.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function newAuthToken(): string {
  return randomBytes(16).toString('hex');
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

// Compared against when the account does not exist, so unknown and known SIDs cost the same.
const DUMMY_HASH = hashToken(randomBytes(16).toString('hex'));

/** Constant-time comparison of a presented token with a stored hash (null: unknown account). */
export function tokenMatches(presented: string, stored: Buffer | null): boolean {
  const given = hashToken(presented);
  const expected = stored && stored.length === given.length ? stored : DUMMY_HASH;
  const equal = timingSafeEqual(given, expected);
  return equal && stored !== null && expected === stored;
}
