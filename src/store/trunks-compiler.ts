// Compiles an Elastic SIP trunk into its TargetView: IP ACLs and credential lists associated with
// the trunk guard calls; targets are the enabled origination URLs, lowest priority first, heavier
// weight first within a priority. A trunk without a domain_name answers to no host: no view.
import type { DatabaseSync } from 'node:sqlite';
import type { ForwardTarget, TargetView } from '../gate/view.ts';
import type { TargetCompiler } from './sqlite/target-compilers.ts';
import { aclPrefixes, effectiveStatus, hasRow, mappedUsers, viewVersion } from './sqlite/view-parts.ts';

const LISTS = 'SELECT credential_list_sid FROM trunk_credential_lists WHERE trunk_sid = ?';
const ACLS = 'SELECT ip_acl_sid FROM trunk_ip_acls WHERE trunk_sid = ?';

function originationTargets(db: DatabaseSync, trunkSid: string): ForwardTarget[] {
  const rows = db
    .prepare('SELECT sip_url, priority, weight FROM origination_urls WHERE trunk_sid = ? AND enabled = 1 ORDER BY priority ASC, weight DESC, rowid ASC')
    .all(trunkSid) as { sip_url: string; priority: number; weight: number }[];
  return rows.map((r) => ({ uri: r.sip_url, priority: r.priority, weight: r.weight }));
}

function sids(rows: unknown[]): string[] {
  return (rows as { sid: string }[]).map((r) => r.sid);
}

export const trunksCompiler: TargetCompiler = {
  sidPrefix: 'TK',
  targetsUsingList(db, listSid) {
    return sids(
      db
        .prepare(
          `SELECT trunk_sid AS sid FROM trunk_credential_lists WHERE credential_list_sid = ?
           UNION SELECT trunk_sid AS sid FROM trunk_ip_acls WHERE ip_acl_sid = ?`,
        )
        .all(listSid, listSid),
    );
  },
  targetsOfAccount(db, accountSid) {
    return sids(db.prepare('SELECT sid FROM trunks WHERE account_sid = ?').all(accountSid));
  },
  allTargets(db) {
    return sids(db.prepare('SELECT sid FROM trunks WHERE domain_name IS NOT NULL ORDER BY rowid').all());
  },
  compile(db, sid): TargetView | null {
    const t = db.prepare('SELECT account_sid, domain_name FROM trunks WHERE sid = ?').get(sid) as
      | { account_sid: string; domain_name: string | null }
      | undefined;
    if (!t || t.domain_name === null) return null;
    return {
      kind: 'trunk',
      sid,
      accountSid: t.account_sid,
      accountStatus: effectiveStatus(db, t.account_sid),
      host: t.domain_name.toLowerCase(),
      calls: {
        aclMapped: hasRow(db, ACLS, sid),
        acl: aclPrefixes(db, ACLS, sid),
        credentialsMapped: hasRow(db, LISTS, sid),
        users: mappedUsers(db, LISTS, sid),
      },
      registrations: null,
      targets: originationTargets(db, sid),
      version: viewVersion(db, sid),
    };
  },
};
