import type { CredentialListRepository, CredentialRecord } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { newSid } from '../sid.ts';
import { childRows, namedListMethods, namedLists } from './named-lists.ts';

// The HA1 columns are deliberately not mapped: API records never carry them.
function toCredential(r: Record<string, unknown>): CredentialRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    credentialListSid: r.credential_list_sid as string,
    username: r.username as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export function sqliteCredentialLists(ctx: SqliteContext): CredentialListRepository {
  const { db } = ctx;
  const lists = namedLists(ctx, { table: 'credential_lists', sidPrefix: 'CL', resource: 'credential_list' });
  const creds = childRows(ctx, { table: 'credentials', parentColumn: 'credential_list_sid', changes: 'lists', map: toCredential });
  return {
    ...namedListMethods(lists),
    async getCredential(accountSid, listSid, sid) {
      return creds.get(accountSid, listSid, sid);
    },
    async listCredentials(accountSid, listSid, page) {
      lists.require(accountSid, listSid);
      return creds.page(accountSid, listSid, page);
    },
    async createCredential(accountSid, listSid, username, ha1) {
      const sid = newSid('CR');
      const now = ctx.now();
      ctx.write((affected) => {
        lists.require(accountSid, listSid);
        db.prepare(
          `INSERT INTO credentials (sid, account_sid, credential_list_sid, username, ha1_md5, ha1_sha256, ha1_sha512_256, date_created, date_updated)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(sid, accountSid, listSid, username, ha1.md5, ha1.sha256, ha1.sha512_256, now, now);
        affected.lists.add(listSid);
      }, { unique: 'username' });
      return creds.get(accountSid, listSid, sid)!;
    },
    async updateCredential(accountSid, listSid, sid, ha1) {
      return ctx.write((affected) => {
        if (!creds.get(accountSid, listSid, sid)) return null;
        if (ha1) {
          db.prepare('UPDATE credentials SET ha1_md5 = ?, ha1_sha256 = ?, ha1_sha512_256 = ?, date_updated = ? WHERE sid = ?').run(
            ha1.md5, ha1.sha256, ha1.sha512_256, ctx.now(), sid,
          );
          affected.lists.add(listSid);
        } else {
          db.prepare('UPDATE credentials SET date_updated = ? WHERE sid = ?').run(ctx.now(), sid);
        }
        return creds.get(accountSid, listSid, sid);
      });
    },
    async deleteCredential(accountSid, listSid, sid) {
      return creds.delete(accountSid, listSid, sid);
    },
  };
}
