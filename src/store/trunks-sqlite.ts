// SQLite implementation of TrunkRepository. Every write goes through SqliteContext.write, which
// recompiles the trunk's view after the commit (trunksCompiler) and publishes it.
import type { SQLInputValue } from 'node:sqlite';
import type { SqliteContext } from './sqlite/context.ts';
import type {
  OriginationUrlFields,
  OriginationUrlRecord,
  TrunkFields,
  TrunkListKind,
  TrunkListRecord,
  TrunkRecord,
  TrunkRecording,
  TrunkRepository,
} from './trunks.ts';
import { newSid } from './sid.ts';
import { pageRows } from './sqlite/paging.ts';
import { childRows } from './sqlite/named-lists.ts';
import type { ListLinkTable } from './sqlite/list-links.ts';
import { listLinkSelect } from './sqlite/list-links.ts';
import { requireInAccount } from './sqlite/require-in-account.ts';
import { insertColumns } from './sqlite/insert-columns.ts';
import { updateColumns } from './sqlite/update-columns.ts';

const TRUNK_COLUMNS: Record<keyof TrunkFields, string> = {
  domainName: 'domain_name',
  friendlyName: 'friendly_name',
  disasterRecoveryUrl: 'disaster_recovery_url',
  disasterRecoveryMethod: 'disaster_recovery_method',
  transferMode: 'transfer_mode',
  transferCallerId: 'transfer_caller_id',
  secure: 'secure',
  cnamLookupEnabled: 'cnam_lookup_enabled',
  symmetricRtpEnabled: 'symmetric_rtp_enabled',
};

const OU_COLUMNS: Record<keyof OriginationUrlFields, string> = {
  friendlyName: 'friendly_name',
  sipUrl: 'sip_url',
  weight: 'weight',
  priority: 'priority',
  enabled: 'enabled',
};

const TRUNK_SELECT = `SELECT t.*, t.rowid AS _rowid,
  (EXISTS (SELECT 1 FROM trunk_ip_acls m WHERE m.trunk_sid = t.sid)) AS has_acl,
  (EXISTS (SELECT 1 FROM trunk_credential_lists m WHERE m.trunk_sid = t.sid)) AS has_cl
  FROM trunks t`;

const LIST_TABLES: Record<TrunkListKind, ListLinkTable> = {
  credential_list: { table: 'trunk_credential_lists', listColumn: 'credential_list_sid', listTable: 'credential_lists' },
  ip_acl: { table: 'trunk_ip_acls', listColumn: 'ip_acl_sid', listTable: 'ip_acls' },
};

function sqlValue(value: unknown): SQLInputValue {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return (value as SQLInputValue | undefined) ?? null;
}

function toTrunk(r: Record<string, unknown>): TrunkRecord {
  const authTypeSet: string[] = [];
  if (r.has_acl === 1) authTypeSet.push('IP_ACL');
  if (r.has_cl === 1) authTypeSet.push('CREDENTIAL_LIST');
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    domainName: (r.domain_name as string | null) ?? null,
    friendlyName: (r.friendly_name as string | null) ?? null,
    disasterRecoveryUrl: (r.disaster_recovery_url as string | null) ?? null,
    disasterRecoveryMethod: (r.disaster_recovery_method as 'GET' | 'POST' | null) ?? null,
    transferMode: r.transfer_mode as TrunkRecord['transferMode'],
    transferCallerId: r.transfer_caller_id as TrunkRecord['transferCallerId'],
    secure: r.secure === 1,
    cnamLookupEnabled: r.cnam_lookup_enabled === 1,
    symmetricRtpEnabled: r.symmetric_rtp_enabled === 1,
    recording: { mode: r.recording_mode as TrunkRecording['mode'], trim: r.recording_trim as TrunkRecording['trim'] },
    authTypeSet,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

function toOriginationUrl(r: Record<string, unknown>): OriginationUrlRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    trunkSid: r.trunk_sid as string,
    friendlyName: r.friendly_name as string,
    sipUrl: r.sip_url as string,
    weight: r.weight as number,
    priority: r.priority as number,
    enabled: r.enabled === 1,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export function sqliteTrunks(ctx: SqliteContext): TrunkRepository {
  const { db } = ctx;

  const getTrunk = (accountSid: string, sid: string): TrunkRecord | null => {
    const r = db.prepare(`${TRUNK_SELECT} WHERE t.sid = ? AND t.account_sid = ?`).get(sid, accountSid) as Record<string, unknown> | undefined;
    return r ? toTrunk(r) : null;
  };
  const requireTrunk = (accountSid: string, trunkSid: string): void => requireInAccount(db, 'trunks', accountSid, trunkSid, 'trunk');
  const urls = childRows(ctx, { table: 'origination_urls', parentColumn: 'trunk_sid', changes: 'targets', map: toOriginationUrl });
  const toList = (t: ListLinkTable) => (r: Record<string, unknown>): TrunkListRecord => ({
    sid: r[t.listColumn] as string,
    accountSid: r.account_sid as string,
    trunkSid: r.trunk_sid as string,
    friendlyName: r.list_name as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  });
  const getList = (accountSid: string, trunkSid: string, kind: TrunkListKind, listSid: string): TrunkListRecord | null => {
    const t = LIST_TABLES[kind];
    const r = db
      .prepare(`${listLinkSelect(t)} WHERE m.trunk_sid = ? AND m.account_sid = ? AND m.${t.listColumn} = ?`)
      .get(trunkSid, accountSid, listSid) as Record<string, unknown> | undefined;
    return r ? toList(t)(r) : null;
  };

  return {
    async get(accountSid, sid) {
      return getTrunk(accountSid, sid);
    },
    async list(accountSid, page) {
      return pageRows(db, { table: 'trunks', alias: 't', sidColumn: 'sid', where: 't.account_sid = ?', params: [accountSid], select: TRUNK_SELECT }, page, toTrunk);
    },
    async create(accountSid, fields) {
      const sid = newSid('TK');
      const now = ctx.now();
      ctx.write((affected) => {
        const fixed = { sid, account_sid: accountSid, recording_mode: 'do-not-record', recording_trim: 'do-not-trim' };
        insertColumns(db, 'trunks', fixed, TRUNK_COLUMNS, fields, (_, v) => sqlValue(v), now);
        affected.targets.add(sid);
      });
      return getTrunk(accountSid, sid)!;
    },
    async update(accountSid, sid, patch) {
      return ctx.write((affected) => {
        const cur = getTrunk(accountSid, sid);
        if (!cur) return null;
        updateColumns(db, 'trunks', TRUNK_COLUMNS, patch, (_, v) => sqlValue(v), ctx.now(), sid);
        const oldHost = cur.domainName?.toLowerCase() ?? null;
        const newHost = patch.domainName === undefined ? oldHost : (patch.domainName?.toLowerCase() ?? null);
        if (oldHost !== null && oldHost !== newHost) affected.deletedHosts.push(oldHost);
        affected.targets.add(sid);
        return getTrunk(accountSid, sid);
      });
    },
    async delete(accountSid, sid) {
      return ctx.write((affected) => {
        const cur = getTrunk(accountSid, sid);
        if (!cur) return false;
        db.prepare('DELETE FROM trunks WHERE sid = ?').run(sid);
        if (cur.domainName !== null) affected.deletedHosts.push(cur.domainName.toLowerCase());
        return true;
      });
    },
    async setRecording(accountSid, sid, patch) {
      return ctx.write(() => {
        const cur = getTrunk(accountSid, sid);
        if (!cur) return null;
        const next: TrunkRecording = { mode: patch.mode ?? cur.recording.mode, trim: patch.trim ?? cur.recording.trim };
        db.prepare('UPDATE trunks SET recording_mode = ?, recording_trim = ?, date_updated = ? WHERE sid = ?').run(next.mode, next.trim, ctx.now(), sid);
        return next;
      });
    },

    async getOriginationUrl(accountSid, trunkSid, sid) {
      return urls.get(accountSid, trunkSid, sid);
    },
    async listOriginationUrls(accountSid, trunkSid, page) {
      requireTrunk(accountSid, trunkSid);
      return urls.page(accountSid, trunkSid, page);
    },
    async createOriginationUrl(accountSid, trunkSid, fields) {
      const sid = newSid('OU');
      const now = ctx.now();
      ctx.write((affected) => {
        requireTrunk(accountSid, trunkSid);
        insertColumns(db, 'origination_urls', { sid, account_sid: accountSid, trunk_sid: trunkSid }, OU_COLUMNS, fields, (_, v) => sqlValue(v), now);
        affected.targets.add(trunkSid);
      });
      return urls.get(accountSid, trunkSid, sid)!;
    },
    async updateOriginationUrl(accountSid, trunkSid, sid, patch) {
      return ctx.write((affected) => {
        if (!urls.get(accountSid, trunkSid, sid)) return null;
        updateColumns(db, 'origination_urls', OU_COLUMNS, patch, (_, v) => sqlValue(v), ctx.now(), sid);
        affected.targets.add(trunkSid);
        return urls.get(accountSid, trunkSid, sid);
      });
    },
    async deleteOriginationUrl(accountSid, trunkSid, sid) {
      return urls.delete(accountSid, trunkSid, sid);
    },

    async getList(accountSid, trunkSid, kind, listSid) {
      return getList(accountSid, trunkSid, kind, listSid);
    },
    async listLists(accountSid, trunkSid, kind, page) {
      requireTrunk(accountSid, trunkSid);
      const t = LIST_TABLES[kind];
      return pageRows(
        db,
        { table: t.table, alias: 'm', sidColumn: t.listColumn, where: 'm.trunk_sid = ? AND m.account_sid = ?', params: [trunkSid, accountSid], select: listLinkSelect(t) },
        page,
        toList(t),
      );
    },
    async addList(accountSid, trunkSid, kind, listSid) {
      const t = LIST_TABLES[kind];
      const now = ctx.now();
      ctx.write((affected) => {
        requireTrunk(accountSid, trunkSid);
        requireInAccount(db, t.listTable, accountSid, listSid, kind);
        db.prepare(`INSERT INTO ${t.table} (trunk_sid, ${t.listColumn}, account_sid, date_created, date_updated) VALUES (?, ?, ?, ?, ?)`).run(
          trunkSid, listSid, accountSid, now, now,
        );
        affected.targets.add(trunkSid);
      }, { unique: 'trunk_list' });
      return getList(accountSid, trunkSid, kind, listSid)!;
    },
    async removeList(accountSid, trunkSid, kind, listSid) {
      const t = LIST_TABLES[kind];
      return ctx.write((affected) => {
        if (!getList(accountSid, trunkSid, kind, listSid)) return false;
        db.prepare(`DELETE FROM ${t.table} WHERE trunk_sid = ? AND ${t.listColumn} = ?`).run(trunkSid, listSid);
        affected.targets.add(trunkSid);
        return true;
      });
    },
  };
}
