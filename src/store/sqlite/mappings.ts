import type { SQLInputValue } from 'node:sqlite';
import type { DomainMappingRepository, MappedListKind, MappingPurpose, MappingRecord } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { StoreError } from '../errors.ts';
import type { ListLinkTable } from './list-links.ts';
import { listLinkSelect } from './list-links.ts';
import { requireInAccount } from './require-in-account.ts';
import { pageRows } from './paging.ts';

interface MappingTable extends ListLinkTable {
  hasPurpose: boolean;
}

const TABLES: Record<MappedListKind, MappingTable> = {
  credential_list: { table: 'domain_credential_list_mappings', listColumn: 'credential_list_sid', listTable: 'credential_lists', hasPurpose: true },
  ip_acl: { table: 'domain_ip_acl_mappings', listColumn: 'ip_acl_sid', listTable: 'ip_acls', hasPurpose: false },
};

function tableFor(kind: MappedListKind, purpose: MappingPurpose): MappingTable {
  const t = TABLES[kind];
  if (!t.hasPurpose && purpose !== 'calls') throw new StoreError('not_found', 'mapping');
  return t;
}

function scope(t: MappingTable, accountSid: string, domainSid: string, purpose: MappingPurpose): { where: string; params: SQLInputValue[] } {
  return t.hasPurpose
    ? { where: 'm.domain_sid = ? AND m.account_sid = ? AND m.purpose = ?', params: [domainSid, accountSid, purpose] }
    : { where: 'm.domain_sid = ? AND m.account_sid = ?', params: [domainSid, accountSid] };
}

export function sqliteMappings(ctx: SqliteContext): DomainMappingRepository {
  const { db } = ctx;
  const toMapping = (t: MappingTable) => (r: Record<string, unknown>): MappingRecord => ({
    sid: r[t.listColumn] as string,
    accountSid: r.account_sid as string,
    domainSid: r.domain_sid as string,
    friendlyName: r.list_name as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  });
  const get = (accountSid: string, domainSid: string, kind: MappedListKind, purpose: MappingPurpose, listSid: string) => {
    const t = tableFor(kind, purpose);
    const s = scope(t, accountSid, domainSid, purpose);
    const r = db.prepare(`${listLinkSelect(t)} WHERE ${s.where} AND m.${t.listColumn} = ?`).get(...s.params, listSid) as Record<string, unknown> | undefined;
    return r ? toMapping(t)(r) : null;
  };
  const requireDomain = (accountSid: string, domainSid: string) => requireInAccount(db, 'domains', accountSid, domainSid, 'domain');
  return {
    async get(accountSid, domainSid, kind, purpose, listSid) {
      return get(accountSid, domainSid, kind, purpose, listSid);
    },
    async list(accountSid, domainSid, kind, purpose, page) {
      requireDomain(accountSid, domainSid);
      const t = tableFor(kind, purpose);
      const s = scope(t, accountSid, domainSid, purpose);
      return pageRows(db, { table: t.table, alias: 'm', sidColumn: t.listColumn, where: s.where, params: s.params, select: listLinkSelect(t) }, page, toMapping(t));
    },
    async create(accountSid, domainSid, kind, purpose, listSid) {
      const t = tableFor(kind, purpose);
      const now = ctx.now();
      ctx.write((affected) => {
        requireDomain(accountSid, domainSid);
        requireInAccount(db, t.listTable, accountSid, listSid, kind);
        const cols = t.hasPurpose ? 'domain_sid, purpose, credential_list_sid' : 'domain_sid, ip_acl_sid';
        const vals: SQLInputValue[] = t.hasPurpose ? [domainSid, purpose, listSid] : [domainSid, listSid];
        db.prepare(`INSERT INTO ${t.table} (${cols}, account_sid, date_created, date_updated) VALUES (${vals.map(() => '?').join(', ')}, ?, ?, ?)`).run(
          ...vals, accountSid, now, now,
        );
        affected.targets.add(domainSid);
      }, { unique: 'mapping' });
      return get(accountSid, domainSid, kind, purpose, listSid)!;
    },
    async delete(accountSid, domainSid, kind, purpose, listSid) {
      const t = tableFor(kind, purpose);
      return ctx.write((affected) => {
        if (!get(accountSid, domainSid, kind, purpose, listSid)) return false;
        const s = scope(t, accountSid, domainSid, purpose);
        db.prepare(`DELETE FROM ${t.table} AS m WHERE ${s.where} AND m.${t.listColumn} = ?`).run(...s.params, listSid);
        affected.targets.add(domainSid);
        return true;
      });
    },
  };
}
