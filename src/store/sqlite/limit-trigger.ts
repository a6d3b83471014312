// The DDL of a row-count limit: a BEFORE INSERT trigger raising 'edge_limit:<subject>' once `max`
// rows share the new row's `scopeColumn`. Its text lands in sqlite_master as written, so migrations
// that have shipped depend on it staying byte-for-byte the same.
export function limitTrigger(table: string, scopeColumn: string, max: number, subject: string): string {
  return `CREATE TRIGGER ${table}_limit BEFORE INSERT ON ${table}
    WHEN (SELECT count(*) FROM ${table} WHERE ${scopeColumn} = NEW.${scopeColumn}) >= ${max}
    BEGIN SELECT RAISE(ABORT, 'edge_limit:${subject}'); END;`;
}
