import type { AccountRecord, AccountRepository } from '../types.ts';
import type { SqliteContext } from './context.ts';
import type { SQLInputValue } from 'node:sqlite';
import { newSid } from '../sid.ts';
import { pageRows } from './paging.ts';

function toAccount(r: Record<string, unknown>): AccountRecord {
  return {
    sid: r.sid as string,
    ownerSid: (r.owner_sid as string | null) ?? null,
    friendlyName: r.friendly_name as string,
    status: r.status as AccountRecord['status'],
    type: r.type as AccountRecord['type'],
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export function sqliteAccounts(ctx: SqliteContext): AccountRepository {
  const { db } = ctx;
  const byId = db.prepare('SELECT * FROM accounts WHERE sid = ?');
  const get = (sid: string) => {
    const r = byId.get(sid) as Record<string, unknown> | undefined;
    return r ? toAccount(r) : null;
  };
  return {
    async get(sid) {
      return get(sid);
    },
    async getTokenHash(sid) {
      const r = db.prepare('SELECT token_hash FROM accounts WHERE sid = ?').get(sid) as { token_hash: Uint8Array } | undefined;
      return r ? Buffer.from(r.token_hash) : null;
    },
    async create(input) {
      const sid = input.sid ?? newSid('AC');
      const now = ctx.now();
      ctx.write(() => {
        db.prepare(
          `INSERT INTO accounts (sid, owner_sid, friendly_name, status, type, token_hash, date_created, date_updated)
           VALUES (?, ?, ?, 'active', 'Full', ?, ?, ?)`,
        ).run(sid, input.ownerSid, input.friendlyName, input.tokenHash, now, now);
      }, { unique: 'account' });
      return get(sid)!;
    },
    async update(sid, patch) {
      return ctx.write((affected) => {
        const cur = get(sid);
        if (!cur) return null;
        const now = ctx.now();
        db.prepare('UPDATE accounts SET friendly_name = ?, status = ?, date_updated = ? WHERE sid = ?').run(
          patch.friendlyName ?? cur.friendlyName,
          patch.status ?? cur.status,
          now,
          sid,
        );
        if (patch.status !== undefined && patch.status !== cur.status) affected.accounts.add(sid);
        return get(sid);
      });
    },
    async setTokenHash(sid, tokenHash) {
      ctx.write(() => {
        db.prepare('UPDATE accounts SET token_hash = ?, date_updated = ? WHERE sid = ?').run(tokenHash, ctx.now(), sid);
      });
    },
    async listVisible(sid, filter, page) {
      let where = '(sid = ? OR owner_sid = ?)';
      const params: SQLInputValue[] = [sid, sid];
      if (filter.friendlyName !== undefined) {
        where += ' AND friendly_name = ?';
        params.push(filter.friendlyName);
      }
      if (filter.status !== undefined) {
        where += ' AND status = ?';
        params.push(filter.status);
      }
      return pageRows(db, { table: 'accounts', sidColumn: 'sid', where, params }, page, toAccount);
    },
    async firstMain() {
      const r = db.prepare('SELECT * FROM accounts WHERE owner_sid IS NULL ORDER BY rowid LIMIT 1').get() as Record<string, unknown> | undefined;
      return r ? toAccount(r) : null;
    },
  };
}
