// Keyset paging over rowid (creation order). A page token names the last SID of the previous page;
// it must exist inside the same scope, so a token from another list or account is refused.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { PageRequest, PageResult } from '../types.ts';
import { StoreError } from '../errors.ts';

export interface PageScope {
  table: string;
  /** Alias of `table` used by `select` and `where`, if any. */
  alias?: string;
  /** Column holding the SID the token names. */
  sidColumn: string;
  /** SQL condition selecting the listed rows, with `?` placeholders. */
  where: string;
  params: SQLInputValue[];
  /** Optional SELECT list/FROM override, e.g. with a join; rows must expose `rowid AS _rowid`. */
  select?: string;
}

export function pageRows<T>(db: DatabaseSync, scope: PageScope, page: PageRequest, map: (row: Record<string, unknown>) => T): PageResult<T> {
  const t = scope.alias ?? scope.table;
  const from = scope.alias ? `${scope.table} ${scope.alias}` : scope.table;
  const select = scope.select ?? `SELECT *, rowid AS _rowid FROM ${scope.table}`;
  let sql: string;
  const params: SQLInputValue[] = [...scope.params];
  if (page.afterSid !== undefined) {
    const anchor = db
      .prepare(`SELECT ${t}.rowid AS r FROM ${from} WHERE (${scope.where}) AND ${t}.${scope.sidColumn} = ?`)
      .get(...scope.params, page.afterSid) as { r: number } | undefined;
    if (!anchor) throw new StoreError('not_found', 'page_token');
    sql = `${select} WHERE (${scope.where}) AND ${t}.rowid > ? ORDER BY ${t}.rowid LIMIT ?`;
    params.push(anchor.r, page.limit + 1);
  } else {
    sql = `${select} WHERE (${scope.where}) ORDER BY ${t}.rowid LIMIT ? OFFSET ?`;
    params.push(page.limit + 1, page.offset ?? 0);
  }
  const rows = db.prepare(sql).all(...params) as Record<string, unknown>[];
  const hasMore = rows.length > page.limit;
  if (hasMore) rows.length = page.limit;
  return { rows: rows.map(map), hasMore };
}
