// Building blocks shared by target compilers: account status, ACL prefixes and users of mapped lists.
import type { DatabaseSync } from 'node:sqlite';
import type { AccountStatus, AclPrefix, UserHa1 } from '../../gate/view.ts';

/** A subaccount of a non-active parent is as unusable as its parent. */
export function effectiveStatus(db: DatabaseSync, accountSid: string): AccountStatus {
  const row = db
    .prepare('SELECT a.status AS own, o.status AS owner FROM accounts a LEFT JOIN accounts o ON o.sid = a.owner_sid WHERE a.sid = ?')
    .get(accountSid) as { own: AccountStatus; owner: AccountStatus | null } | undefined;
  if (!row) return 'closed';
  if (row.own !== 'active') return row.own;
  return row.owner && row.owner !== 'active' ? row.owner : 'active';
}

/** Prefixes of the ACLs selected by `aclSidsSql` (a SELECT returning ACL sids, one `?` parameter). */
export function aclPrefixes(db: DatabaseSync, aclSidsSql: string, param: string): AclPrefix[] {
  const rows = db
    .prepare(`SELECT DISTINCT ip_address, cidr_prefix_length FROM ip_addresses WHERE ip_acl_sid IN (${aclSidsSql}) ORDER BY rowid`)
    .all(param) as { ip_address: string; cidr_prefix_length: number }[];
  return rows.map((r) => ({ address: r.ip_address, prefixLength: r.cidr_prefix_length }));
}

/**
 * username → HA1s over the credential lists selected by `listSidsSql`. When two mapped lists hold
 * the same username, the credential created first wins, so the result does not depend on timing.
 */
export function mappedUsers(db: DatabaseSync, listSidsSql: string, param: string): Record<string, UserHa1> {
  const rows = db
    .prepare(
      `SELECT username, ha1_md5, ha1_sha256, ha1_sha512_256 FROM credentials
       WHERE credential_list_sid IN (${listSidsSql}) ORDER BY rowid`,
    )
    .all(param) as { username: string; ha1_md5: string; ha1_sha256: string; ha1_sha512_256: string }[];
  const users: Record<string, UserHa1> = Object.create(null) as Record<string, UserHa1>;
  for (const r of rows) {
    if (users[r.username]) continue;
    users[r.username] = { md5: r.ha1_md5, sha256: r.ha1_sha256, sha512_256: r.ha1_sha512_256 };
  }
  return users;
}

export function hasRow(db: DatabaseSync, sql: string, param: string): boolean {
  return db.prepare(sql).get(param) !== undefined;
}

export function viewVersion(db: DatabaseSync, targetSid: string): number {
  const row = db.prepare('SELECT version FROM view_versions WHERE target_sid = ?').get(targetSid) as { version: number } | undefined;
  return row?.version ?? 0;
}
