// The bootstrap main account: from EDGE_ACCOUNT_SID/EDGE_AUTH_TOKEN when given (the environment is
// authoritative for the token), else generated on first start, printed once, and kept.
import type { Store } from '../store/types.ts';
import { isSid, newSid } from '../store/sid.ts';
import { hashToken, newAuthToken, tokenMatches } from './tokens.ts';

export interface BootstrapOptions {
  accountSid?: string;
  authToken?: string;
  /** Where a generated token is shown, once. Defaults to stdout (not the log stream). */
  print?: (line: string) => void;
}

export async function bootstrapAccount(store: Store, opts: BootstrapOptions): Promise<string> {
  const { accountSid, authToken } = opts;
  if ((accountSid === undefined) !== (authToken === undefined)) {
    throw new Error('EDGE_ACCOUNT_SID and EDGE_AUTH_TOKEN must be set together');
  }
  if (accountSid !== undefined && authToken !== undefined) {
    if (!isSid(accountSid, 'AC')) throw new Error('EDGE_ACCOUNT_SID must be AC followed by 32 hex digits');
    if (authToken.length < 16) throw new Error('EDGE_AUTH_TOKEN must be at least 16 characters');
    const existing = await store.accounts.get(accountSid);
    if (!existing) {
      await store.accounts.create({ sid: accountSid, ownerSid: null, friendlyName: 'Main account', tokenHash: hashToken(authToken) });
    } else if (!tokenMatches(authToken, await store.accounts.getTokenHash(accountSid))) {
      await store.accounts.setTokenHash(accountSid, hashToken(authToken));
    }
    return accountSid;
  }
  const main = await store.accounts.firstMain();
  if (main) return main.sid;
  const sid = newSid('AC');
  const token = newAuthToken();
  await store.accounts.create({ sid, ownerSid: null, friendlyName: 'Main account', tokenHash: hashToken(token) });
  const print = opts.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  print(`sip-edge: generated bootstrap account (shown once, store it now): EDGE_ACCOUNT_SID=${sid} EDGE_AUTH_TOKEN=${token}`);
  return sid;
}
