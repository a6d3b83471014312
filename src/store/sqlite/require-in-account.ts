import type { DatabaseSync } from 'node:sqlite';
import { StoreError } from '../errors.ts';

/** Throws StoreError 'not_found' naming `resource` unless `table` holds `sid` in the account. */
export function requireInAccount(db: DatabaseSync, table: string, accountSid: string, sid: string, resource: string): void {
  if (!db.prepare(`SELECT 1 FROM ${table} WHERE sid = ? AND account_sid = ?`).get(sid, accountSid)) {
    throw new StoreError('not_found', resource);
  }
}
