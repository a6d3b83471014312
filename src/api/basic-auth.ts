// HTTP Basic authentication (AccountSid:AuthToken) and the tenancy rule: an account acts on itself
// and on its subaccounts, never on its parent or on unrelated accounts.
import type { AccountRecord, AccountRepository } from '../store/types.ts';
import { ApiError, CODES, notFound } from './errors.ts';
import { isSid } from '../store/sid.ts';
import { tokenMatches } from './tokens.ts';

const MAX_HEADER = 512;

export function unauthorized(): ApiError {
  return new ApiError(401, CODES.authenticate, 'Authenticate');
}

/** Parses and verifies the Authorization header; returns the authenticated account. */
export async function authenticate(header: string | undefined, accounts: AccountRepository): Promise<AccountRecord> {
  if (!header || header.length > MAX_HEADER || !/^basic /i.test(header)) throw unauthorized();
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) throw unauthorized();
  const sid = decoded.slice(0, colon);
  const token = decoded.slice(colon + 1);
  const known = isSid(sid, 'AC');
  const stored = known ? await accounts.getTokenHash(sid) : null;
  const ok = tokenMatches(token, stored);
  if (!ok) throw unauthorized();
  const account = await accounts.get(sid);
  if (!account || account.status === 'closed') throw unauthorized();
  if (account.ownerSid) {
    const owner = await accounts.get(account.ownerSid);
    if (!owner || owner.status === 'closed') throw unauthorized();
  }
  return account;
}

/** The account named in the path if `auth` may act on it, else a 404 that reveals nothing. */
export async function actingAccount(auth: AccountRecord, pathSid: string, accounts: AccountRepository, path: string): Promise<AccountRecord> {
  if (!isSid(pathSid, 'AC')) throw notFound(path);
  if (pathSid === auth.sid) return auth;
  const target = await accounts.get(pathSid);
  if (!target || target.ownerSid !== auth.sid) throw notFound(path);
  return target;
}
