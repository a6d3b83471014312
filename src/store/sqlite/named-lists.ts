// What the list-shaped repositories share: a named parent list owned by an account (credential lists,
// IP ACLs), and child rows scoped by (account, parent) (credentials, IP addresses, origination URLs).
// Each repository states only its tables, SID prefix and child columns.
import type { PageRequest, PageResult } from '../types.ts';
import type { SidPrefix } from '../sid.ts';
import type { SqliteContext } from './context.ts';
import { StoreError } from '../errors.ts';
import { newSid } from '../sid.ts';
import { pageRows } from './paging.ts';

type Row = Record<string, unknown>;

export interface NamedListRecord {
  sid: string;
  accountSid: string;
  friendlyName: string;
  dateCreated: number;
  dateUpdated: number;
}

export interface NamedListSpec {
  table: string;
  sidPrefix: SidPrefix;
  /** Resource named by StoreError when the list is absent or still in use. */
  resource: string;
}

export interface NamedLists {
  get(accountSid: string, sid: string): NamedListRecord | null;
  /** Throws StoreError 'not_found' naming the resource when the list is absent. */
  require(accountSid: string, sid: string): void;
  list(accountSid: string, page: PageRequest): PageResult<NamedListRecord>;
  create(accountSid: string, friendlyName: string): NamedListRecord;
  update(accountSid: string, sid: string, friendlyName: string): NamedListRecord | null;
  delete(accountSid: string, sid: string): boolean;
}

function toNamedList(r: Row): NamedListRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    friendlyName: r.friendly_name as string,
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

export function namedLists(ctx: SqliteContext, spec: NamedListSpec): NamedLists {
  const { db } = ctx;
  const { table } = spec;
  const get = (accountSid: string, sid: string): NamedListRecord | null => {
    const r = db.prepare(`SELECT * FROM ${table} WHERE sid = ? AND account_sid = ?`).get(sid, accountSid) as Row | undefined;
    return r ? toNamedList(r) : null;
  };
  return {
    get,
    require(accountSid, sid) {
      if (!get(accountSid, sid)) throw new StoreError('not_found', spec.resource);
    },
    list(accountSid, page) {
      return pageRows(db, { table, sidColumn: 'sid', where: 'account_sid = ?', params: [accountSid] }, page, toNamedList);
    },
    create(accountSid, friendlyName) {
      const sid = newSid(spec.sidPrefix);
      const now = ctx.now();
      ctx.write(() => {
        db.prepare(`INSERT INTO ${table} (sid, account_sid, friendly_name, date_created, date_updated) VALUES (?, ?, ?, ?, ?)`).run(
          sid, accountSid, friendlyName, now, now,
        );
      });
      return get(accountSid, sid)!;
    },
    update(accountSid, sid, friendlyName) {
      return ctx.write(() => {
        if (!get(accountSid, sid)) return null;
        db.prepare(`UPDATE ${table} SET friendly_name = ?, date_updated = ? WHERE sid = ?`).run(friendlyName, ctx.now(), sid);
        return get(accountSid, sid);
      });
    },
    delete(accountSid, sid) {
      return ctx.write(() => {
        if (!get(accountSid, sid)) return false;
        db.prepare(`DELETE FROM ${table} WHERE sid = ?`).run(sid);
        return true;
      }, { foreignKey: new StoreError('in_use', spec.resource) });
    },
  };
}

/** The five list methods of a repository, async as the repository interfaces declare them. */
export function namedListMethods(lists: NamedLists) {
  return {
    get: async (accountSid: string, sid: string) => lists.get(accountSid, sid),
    list: async (accountSid: string, page: PageRequest) => lists.list(accountSid, page),
    create: async (accountSid: string, friendlyName: string) => lists.create(accountSid, friendlyName),
    update: async (accountSid: string, sid: string, friendlyName: string) => lists.update(accountSid, sid, friendlyName),
    delete: async (accountSid: string, sid: string) => lists.delete(accountSid, sid),
  };
}

export interface ChildRowSpec<T> {
  table: string;
  /** Column naming the parent's SID (a list, or a trunk). */
  parentColumn: string;
  /** Which set of the write's Affected a change to a child adds its parent to. */
  changes: 'lists' | 'targets';
  map: (r: Row) => T;
}

export interface ChildRows<T> {
  get(accountSid: string, parentSid: string, sid: string): T | null;
  /** Pages the children of a parent; the caller checks the parent exists first. */
  page(accountSid: string, parentSid: string, page: PageRequest): PageResult<T>;
  /** Deletes one child and marks its parent changed; false when absent. */
  delete(accountSid: string, parentSid: string, sid: string): boolean;
}

export function childRows<T>(ctx: SqliteContext, spec: ChildRowSpec<T>): ChildRows<T> {
  const { db } = ctx;
  const { table, parentColumn, map } = spec;
  const get = (accountSid: string, parentSid: string, sid: string): T | null => {
    const r = db
      .prepare(`SELECT * FROM ${table} WHERE sid = ? AND ${parentColumn} = ? AND account_sid = ?`)
      .get(sid, parentSid, accountSid) as Row | undefined;
    return r ? map(r) : null;
  };
  return {
    get,
    page(accountSid, parentSid, page) {
      return pageRows(db, { table, sidColumn: 'sid', where: `${parentColumn} = ? AND account_sid = ?`, params: [parentSid, accountSid] }, page, map);
    },
    delete(accountSid, parentSid, sid) {
      return ctx.write((affected) => {
        if (!get(accountSid, parentSid, sid)) return false;
        db.prepare(`DELETE FROM ${table} WHERE sid = ?`).run(sid);
        affected[spec.changes].add(parentSid);
        return true;
      });
    },
  };
}
