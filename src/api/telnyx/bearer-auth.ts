// Bearer authentication for the Telnyx-style paths: the token is an account's auth token (the same
// one HTTP Basic uses on Twilio paths). Tokens are stored as SHA-256; the lookup is by hash and the
// final comparison is constant-time. Closed accounts (or children of closed ones) are refused.
import type { Store } from '../../store/types.ts';
import type { AccountRecord } from '../../store/types.ts';
import { hashToken, tokenMatches } from '../tokens.ts';
import { authFailed } from './errors.ts';

const MAX_HEADER = 512;
const TOKEN = /^[\x21-\x7e]{1,256}$/;

export async function bearerAccount(header: string | undefined, store: Store): Promise<AccountRecord> {
  if (!header || header.length > MAX_HEADER || !/^bearer /i.test(header)) throw authFailed();
  const token = header.slice(7).trim();
  if (!TOKEN.test(token)) throw authFailed();
  const sid = await store.connections.accountSidForTokenHash(hashToken(token));
  const stored = sid ? await store.accounts.getTokenHash(sid) : null;
  if (!tokenMatches(token, stored) || !sid) throw authFailed();
  const account = await store.accounts.get(sid);
  if (!account || account.status === 'closed') throw authFailed();
  if (account.ownerSid) {
    const owner = await store.accounts.get(account.ownerSid);
    if (!owner || owner.status === 'closed') throw authFailed();
  }
  return account;
}
