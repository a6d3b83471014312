// SQLite implementation of ConnectionRepository. Writes go through SqliteContext.write, which
// versions the connection (it is registered in sip_hosts) and publishes its compiled view.
import type { SQLInputValue } from 'node:sqlite';
import type { SqliteContext } from './sqlite/context.ts';
import type { ConnectionFields, ConnectionListFilter, ConnectionRecord, ConnectionRepository, ConnectionSettings } from './connections.ts';
import { randomBytes } from 'node:crypto';
import { connectionKey } from './cache/keys.ts';

const RANGE = 9_000_000_000_000_000_000n;
const FLOOR = 1_000_000_000_000_000_000n;

/** A Telnyx-style ID: 19 decimal digits, random. */
export function newConnectionId(): string {
  return (BigInt('0x' + randomBytes(8).toString('hex')) % RANGE + FLOOR).toString();
}

function fold(name: string): string {
  return name.toLowerCase();
}

function derived(settings: ConnectionSettings): { profile: string | null; limit: number | null } {
  const profile = settings.outbound.outbound_voice_profile_id;
  const limit = settings.outbound.channel_limit;
  return {
    profile: typeof profile === 'string' ? profile : null,
    limit: typeof limit === 'number' && Number.isInteger(limit) ? limit : null,
  };
}

function toRecord(r: Record<string, unknown>): ConnectionRecord {
  return {
    id: r.id as string,
    accountSid: r.account_sid as string,
    connectionName: r.connection_name as string,
    userName: r.user_name as string,
    active: r.active === 1,
    sipTarget: (r.sip_target as string | null) ?? null,
    settings: JSON.parse(r.settings as string) as ConnectionSettings,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

const COLUMNS = 'id, account_sid, connection_name, user_name, active, sip_target, settings, created_at, updated_at';

const ORDER: Record<ConnectionListFilter['sort']['field'], string> = {
  created_at: 'created_at',
  connection_name: 'name_folded',
  active: 'active',
};

export function sqliteConnections(ctx: SqliteContext): ConnectionRepository {
  const { db } = ctx;
  const get = (accountSid: string, id: string): ConnectionRecord | null => {
    const r = db.prepare(`SELECT ${COLUMNS} FROM credential_connections WHERE id = ? AND account_sid = ?`).get(id, accountSid) as
      | Record<string, unknown>
      | undefined;
    return r ? toRecord(r) : null;
  };
  return {
    async accountSidForTokenHash(tokenHash) {
      const r = db.prepare('SELECT sid FROM accounts WHERE token_hash = ?').get(tokenHash) as { sid: string } | undefined;
      return r?.sid ?? null;
    },
    async get(accountSid, id) {
      return get(accountSid, id);
    },
    async list(accountSid, f) {
      const where = ['account_sid = ?'];
      const params: SQLInputValue[] = [accountSid];
      if (f.nameContains !== null) {
        where.push('instr(name_folded, ?) > 0');
        params.push(fold(f.nameContains));
      }
      if (f.outboundVoiceProfileId !== null) {
        where.push('outbound_voice_profile_id = ?');
        params.push(f.outboundVoiceProfileId);
      }
      const cond = where.join(' AND ');
      const dir = f.sort.descending ? 'DESC' : 'ASC';
      const { n } = db.prepare(`SELECT count(*) AS n FROM credential_connections WHERE ${cond}`).get(...params) as { n: number };
      const rows = db
        .prepare(`SELECT ${COLUMNS} FROM credential_connections WHERE ${cond} ORDER BY ${ORDER[f.sort.field]} ${dir}, rowid ${dir} LIMIT ? OFFSET ?`)
        .all(...params, f.limit, f.offset) as Record<string, unknown>[];
      return { rows: rows.map(toRecord), total: n };
    },
    async create(accountSid, fields: ConnectionFields, ha1) {
      const id = newConnectionId();
      const now = ctx.now();
      const d = derived(fields.settings);
      ctx.write(
        (affected) => {
          db.prepare(
            `INSERT INTO credential_connections (id, account_sid, connection_name, name_folded, user_name, active,
               ha1_md5, ha1_sha256, ha1_sha512_256, sip_target, outbound_voice_profile_id, channel_limit, settings, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          ).run(
            id, accountSid, fields.connectionName, fold(fields.connectionName), fields.userName, fields.active ? 1 : 0,
            ha1.md5, ha1.sha256, ha1.sha512_256, fields.sipTarget, d.profile, d.limit, JSON.stringify(fields.settings), now, now,
          );
          affected.targets.add(id);
        },
        { unique: 'user_name' },
      );
      return get(accountSid, id)!;
    },
    async update(accountSid, id, patch) {
      return ctx.write(
        (affected) => {
          const cur = get(accountSid, id);
          if (!cur) return null;
          const sets: string[] = [];
          const params: SQLInputValue[] = [];
          const set = (column: string, value: SQLInputValue) => {
            sets.push(`${column} = ?`);
            params.push(value);
          };
          if (patch.connectionName !== undefined) {
            set('connection_name', patch.connectionName);
            set('name_folded', fold(patch.connectionName));
          }
          if (patch.userName !== undefined) set('user_name', patch.userName);
          if (patch.ha1 !== undefined) {
            set('ha1_md5', patch.ha1.md5);
            set('ha1_sha256', patch.ha1.sha256);
            set('ha1_sha512_256', patch.ha1.sha512_256);
          }
          if (patch.active !== undefined) set('active', patch.active ? 1 : 0);
          if (patch.sipTarget !== undefined) set('sip_target', patch.sipTarget);
          if (patch.settings !== undefined) {
            const d = derived(patch.settings);
            set('settings', JSON.stringify(patch.settings));
            set('outbound_voice_profile_id', d.profile);
            set('channel_limit', d.limit);
          }
          set('updated_at', ctx.now());
          db.prepare(`UPDATE credential_connections SET ${sets.join(', ')} WHERE id = ?`).run(...params, id);
          if (patch.userName !== undefined && patch.userName.toLowerCase() !== cur.userName.toLowerCase()) {
            affected.deletedHosts.push(connectionKey(cur.userName));
          }
          affected.targets.add(id);
          return get(accountSid, id);
        },
        { unique: 'user_name' },
      );
    },
    async delete(accountSid, id) {
      return ctx.write((affected) => {
        const cur = get(accountSid, id);
        if (!cur) return null;
        db.prepare('DELETE FROM credential_connections WHERE id = ?').run(id);
        affected.deletedHosts.push(connectionKey(cur.userName));
        return cur;
      });
    },
  };
}
