// A partial update of a row by SID: each field present in the patch (and known to `columns`) is
// written through `toSql`, and date_updated is set to `now`.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

export function updateColumns<F extends object>(
  db: DatabaseSync,
  table: string,
  columns: Record<keyof F, string>,
  patch: Partial<F>,
  toSql: (key: keyof F, value: unknown) => SQLInputValue,
  now: number,
  sid: string,
): void {
  const keys = (Object.keys(patch) as (keyof F)[]).filter((k) => patch[k] !== undefined && k in columns);
  const sets = [...keys.map((k) => `${columns[k]} = ?`), 'date_updated = ?'];
  db.prepare(`UPDATE ${table} SET ${sets.join(', ')} WHERE sid = ?`).run(...keys.map((k) => toSql(k, patch[k])), now, sid);
}
