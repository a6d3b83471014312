// A new row: the fixed leading columns (sid, account, parent...) as given, then each field of
// `columns` written through `toSql`, then date_created and date_updated set to `now`.
import type { DatabaseSync, SQLInputValue } from 'node:sqlite';

export function insertColumns<F extends object>(
  db: DatabaseSync,
  table: string,
  fixed: Record<string, SQLInputValue>,
  columns: Record<keyof F, string>,
  fields: F,
  toSql: (key: keyof F, value: unknown) => SQLInputValue,
  now: number,
): void {
  const keys = Object.keys(columns) as (keyof F)[];
  const names = [...Object.keys(fixed), ...keys.map((k) => columns[k]), 'date_created', 'date_updated'];
  const values = [...Object.values(fixed), ...keys.map((k) => toSql(k, fields[k])), now, now];
  db.prepare(`INSERT INTO ${table} (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...values);
}
