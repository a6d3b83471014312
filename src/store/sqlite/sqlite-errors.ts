// Translates constraint failures raised by SQLite (our triggers, UNIQUE, FOREIGN KEY) into StoreError.
import { StoreError } from '../errors.ts';

export function translateSqliteError(err: unknown, context: { unique?: string; foreignKey?: StoreError }): unknown {
  if (!(err instanceof Error)) return err;
  const msg = err.message;
  const limit = /edge_limit:([a-z_]+)/.exec(msg);
  if (limit) return new StoreError('limit', limit[1]!);
  if (msg.includes('edge_tenancy')) return new StoreError('not_found', 'list');
  if (msg.includes('UNIQUE constraint failed')) {
    if (msg.includes('sip_hosts.host') || msg.includes('domains')) return new StoreError('duplicate', 'domain_name');
    return new StoreError('duplicate', context.unique ?? 'row');
  }
  if (msg.includes('FOREIGN KEY constraint failed') && context.foreignKey) return context.foreignKey;
  return err;
}
