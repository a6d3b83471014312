import type { CredentialListRecord, CredentialListRepository, CredentialRecord } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { StoreError } from '../errors.ts';
import { newSid } from '../sid.ts';
import { pageRows } from './paging.ts';

function toList(r: Record<string, unknown>): CredentialListRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    friendlyName: r.friendly_name as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

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
  const getList = (accountSid: string, sid: string) => {
    const r = db.prepare('SELECT * FROM credential_lists WHERE sid = ? AND account_sid = ?').get(sid, accountSid) as Record<string, unknown> | undefined;
    return r ? toList(r) : null;
  };
  const getCred = (accountSid: string, listSid: string, sid: string) => {
    const r = db
      .prepare('SELECT * FROM credentials WHERE sid = ? AND credential_list_sid = ? AND account_sid = ?')
      .get(sid, listSid, accountSid) as Record<string, unknown> | undefined;
    return r ? toCredential(r) : null;
  };
  const requireList = (accountSid: string, listSid: string) => {
    if (!getList(accountSid, listSid)) throw new StoreError('not_found', 'credential_list');
  };
  return {
    async get(accountSid, sid) {
      return getList(accountSid, sid);
    },
    async list(accountSid, page) {
      return pageRows(db, { table: 'credential_lists', sidColumn: 'sid', where: 'account_sid = ?', params: [accountSid] }, page, toList);
    },
    async create(accountSid, friendlyName) {
      const sid = newSid('CL');
      const now = ctx.now();
      ctx.write(() => {
        db.prepare('INSERT INTO credential_lists (sid, account_sid, friendly_name, date_created, date_updated) VALUES (?, ?, ?, ?, ?)').run(
          sid, accountSid, friendlyName, now, now,
        );
      });
      return getList(accountSid, sid)!;
    },
    async update(accountSid, sid, friendlyName) {
      return ctx.write(() => {
        if (!getList(accountSid, sid)) return null;
        db.prepare('UPDATE credential_lists SET friendly_name = ?, date_updated = ? WHERE sid = ?').run(friendlyName, ctx.now(), sid);
        return getList(accountSid, sid);
      });
    },
    async delete(accountSid, sid) {
      return ctx.write(() => {
        if (!getList(accountSid, sid)) return false;
        db.prepare('DELETE FROM credential_lists WHERE sid = ?').run(sid);
        return true;
      }, { foreignKey: new StoreError('in_use', 'credential_list') });
    },
    async getCredential(accountSid, listSid, sid) {
      return getCred(accountSid, listSid, sid);
    },
    async listCredentials(accountSid, listSid, page) {
      requireList(accountSid, listSid);
      return pageRows(
        db,
        { table: 'credentials', sidColumn: 'sid', where: 'credential_list_sid = ? AND account_sid = ?', params: [listSid, accountSid] },
        page,
        toCredential,
      );
    },
    async createCredential(accountSid, listSid, username, ha1) {
      const sid = newSid('CR');
      const now = ctx.now();
      ctx.write((affected) => {
        requireList(accountSid, listSid);
        db.prepare(
          `INSERT INTO credentials (sid, account_sid, credential_list_sid, username, ha1_md5, ha1_sha256, ha1_sha512_256, date_created, date_updated)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(sid, accountSid, listSid, username, ha1.md5, ha1.sha256, ha1.sha512_256, now, now);
        affected.lists.add(listSid);
      }, { unique: 'username' });
      return getCred(accountSid, listSid, sid)!;
    },
    async updateCredential(accountSid, listSid, sid, ha1) {
      return ctx.write((affected) => {
        if (!getCred(accountSid, listSid, sid)) return null;
        if (ha1) {
          db.prepare('UPDATE credentials SET ha1_md5 = ?, ha1_sha256 = ?, ha1_sha512_256 = ?, date_updated = ? WHERE sid = ?').run(
            ha1.md5, ha1.sha256, ha1.sha512_256, ctx.now(), sid,
          );
          affected.lists.add(listSid);
        } else {
          db.prepare('UPDATE credentials SET date_updated = ? WHERE sid = ?').run(ctx.now(), sid);
        }
        return getCred(accountSid, listSid, sid);
      });
    },
    async deleteCredential(accountSid, listSid, sid) {
      return ctx.write((affected) => {
        if (!getCred(accountSid, listSid, sid)) return false;
        db.prepare('DELETE FROM credentials WHERE sid = ?').run(sid);
        affected.lists.add(listSid);
        return true;
      });
    },
  };
}
