// SQLite implementation of PushCredentialRepository. Each secret is sealed with the configured
// SecretBox, bound to its row and column (AAD "<sid>:<column>"), so a ciphertext moved elsewhere
// does not open. Push credentials are not SIP targets: their writes publish no views.
import type { SQLInputValue } from 'node:sqlite';
import type { SqliteContext } from './sqlite/context.ts';
import type { SecretBox } from './secret-box.ts';
import type { PushCredentialFields, PushCredentialRecord, PushCredentialRepository, PushSecrets } from './push-credentials.ts';
import { PUSH_SECRET_FIELDS } from './push-credentials.ts';
import { SecretKeyError } from './secret-box.ts';
import { newSid } from './sid.ts';
import { pageRows } from './sqlite/paging.ts';

const SECRET_COLUMNS: Record<keyof PushSecrets, string> = {
  certificate: 'certificate',
  privateKey: 'private_key',
  apiKey: 'api_key',
  secret: 'secret',
};

const SELECT = `SELECT sid, account_sid, friendly_name, type, sandbox, date_created, date_updated,
  certificate IS NOT NULL AS has_certificate, private_key IS NOT NULL AS has_private_key,
  api_key IS NOT NULL AS has_api_key, secret IS NOT NULL AS has_secret, rowid AS _rowid
  FROM push_credentials`;

function toRecord(r: Record<string, unknown>): PushCredentialRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    friendlyName: (r.friendly_name as string | null) ?? null,
    type: r.type as PushCredentialRecord['type'],
    sandbox: r.sandbox === 1,
    secretsSet: PUSH_SECRET_FIELDS.filter((f) => r[`has_${SECRET_COLUMNS[f]}`] === 1),
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export const MISSING_KEY_MESSAGE = 'EDGE_SECRET_KEY is not set: push credential secrets cannot be stored';

function given(secrets: PushSecrets): Array<keyof PushSecrets> {
  return PUSH_SECRET_FIELDS.filter((f) => secrets[f] !== undefined);
}

export function sqlitePushCredentials(ctx: SqliteContext, box: SecretBox | null): PushCredentialRepository {
  const { db } = ctx;
  const get = (accountSid: string, sid: string): PushCredentialRecord | null => {
    const r = db.prepare(`${SELECT} WHERE sid = ? AND account_sid = ?`).get(sid, accountSid) as Record<string, unknown> | undefined;
    return r ? toRecord(r) : null;
  };
  const seal = (sid: string, field: keyof PushSecrets, value: string): Buffer => {
    if (!box) throw new SecretKeyError(MISSING_KEY_MESSAGE);
    return box.seal(value, `${sid}:${SECRET_COLUMNS[field]}`);
  };
  return {
    async get(accountSid, sid) {
      return get(accountSid, sid);
    },
    async list(accountSid, page) {
      return pageRows(db, { table: 'push_credentials', sidColumn: 'sid', where: 'account_sid = ?', params: [accountSid], select: SELECT }, page, toRecord);
    },
    async create(accountSid, fields: PushCredentialFields, secrets) {
      const sid = newSid('CR');
      const now = ctx.now();
      const fieldsGiven = given(secrets);
      const sealed = fieldsGiven.map((f) => seal(sid, f, secrets[f]!));
      ctx.write(() => {
        db.prepare(
          `INSERT INTO push_credentials (sid, account_sid, friendly_name, type, sandbox, ${fieldsGiven.map((f) => SECRET_COLUMNS[f]).concat('date_created', 'date_updated').join(', ')})
           VALUES (?, ?, ?, ?, ?, ${fieldsGiven.map(() => '?').concat('?', '?').join(', ')})`,
        ).run(sid, accountSid, fields.friendlyName, fields.type, fields.sandbox ? 1 : 0, ...sealed, now, now);
      });
      return get(accountSid, sid)!;
    },
    async update(accountSid, sid, patch, secrets) {
      const fieldsGiven = given(secrets);
      const sealed = fieldsGiven.map((f) => seal(sid, f, secrets[f]!));
      return ctx.write(() => {
        if (!get(accountSid, sid)) return null;
        const sets: string[] = [];
        const params: SQLInputValue[] = [];
        if (patch.friendlyName !== undefined) {
          sets.push('friendly_name = ?');
          params.push(patch.friendlyName);
        }
        if (patch.type !== undefined) {
          sets.push('type = ?');
          params.push(patch.type);
        }
        if (patch.sandbox !== undefined) {
          sets.push('sandbox = ?');
          params.push(patch.sandbox ? 1 : 0);
        }
        fieldsGiven.forEach((f, i) => {
          sets.push(`${SECRET_COLUMNS[f]} = ?`);
          params.push(sealed[i]!);
        });
        sets.push('date_updated = ?');
        params.push(ctx.now());
        db.prepare(`UPDATE push_credentials SET ${sets.join(', ')} WHERE sid = ?`).run(...params, sid);
        return get(accountSid, sid);
      });
    },
    async delete(accountSid, sid) {
      return ctx.write(() => db.prepare('DELETE FROM push_credentials WHERE sid = ? AND account_sid = ?').run(sid, accountSid).changes > 0);
    },
    async openSecrets(accountSid, sid) {
      const r = db
        .prepare('SELECT certificate, private_key, api_key, secret FROM push_credentials WHERE sid = ? AND account_sid = ?')
        .get(sid, accountSid) as Record<string, Uint8Array | null> | undefined;
      if (!r) return null;
      const out: PushSecrets = {};
      for (const f of PUSH_SECRET_FIELDS) {
        const v = r[SECRET_COLUMNS[f]];
        if (v === null || v === undefined) continue;
        if (!box) throw new SecretKeyError('EDGE_SECRET_KEY is not set: push credential secrets cannot be read');
        out[f] = box.open(v, `${sid}:${SECRET_COLUMNS[f]}`);
      }
      return out;
    },
  };
}
