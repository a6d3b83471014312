// Compiles a SIP domain into its TargetView.
import type { DatabaseSync } from 'node:sqlite';
import type { AuthRules, ForwardTarget, TargetView } from '../../gate/view.ts';
import type { TargetCompiler } from './target-compilers.ts';
import { aclPrefixes, effectiveStatus, hasRow, mappedUsers, viewVersion } from './view-parts.ts';

const CALL_LISTS = `SELECT credential_list_sid FROM domain_credential_list_mappings WHERE domain_sid = ? AND purpose = 'calls'`;
const REG_LISTS = `SELECT credential_list_sid FROM domain_credential_list_mappings WHERE domain_sid = ? AND purpose = 'registrations'`;
const ACLS = `SELECT ip_acl_sid FROM domain_ip_acl_mappings WHERE domain_sid = ?`;

function forwardTargets(voiceUrl: string | null): ForwardTarget[] {
  if (!voiceUrl) return [];
  const lower = voiceUrl.slice(0, 5).toLowerCase();
  return lower.startsWith('sip:') || lower.startsWith('sips:') ? [{ uri: voiceUrl, priority: 10, weight: 10 }] : [];
}

export const domainCompiler: TargetCompiler = {
  sidPrefix: 'SD',
  targetsUsingList(db, listSid) {
    const rows = db
      .prepare(
        `SELECT domain_sid FROM domain_credential_list_mappings WHERE credential_list_sid = ?
         UNION SELECT domain_sid FROM domain_ip_acl_mappings WHERE ip_acl_sid = ?`,
      )
      .all(listSid, listSid) as { domain_sid: string }[];
    return rows.map((r) => r.domain_sid);
  },
  targetsOfAccount(db, accountSid) {
    return (db.prepare('SELECT sid FROM domains WHERE account_sid = ?').all(accountSid) as { sid: string }[]).map((r) => r.sid);
  },
  allTargets(db) {
    return (db.prepare('SELECT sid FROM domains ORDER BY rowid').all() as { sid: string }[]).map((r) => r.sid);
  },
  compile(db: DatabaseSync, sid: string): TargetView | null {
    const d = db.prepare('SELECT account_sid, domain_name, voice_url, sip_registration FROM domains WHERE sid = ?').get(sid) as
      | { account_sid: string; domain_name: string; voice_url: string | null; sip_registration: number }
      | undefined;
    if (!d) return null;
    const calls: AuthRules = {
      aclMapped: hasRow(db, ACLS, sid),
      acl: aclPrefixes(db, ACLS, sid),
      credentialsMapped: hasRow(db, CALL_LISTS, sid),
      users: mappedUsers(db, CALL_LISTS, sid),
    };
    const registrations: AuthRules = {
      aclMapped: false,
      acl: [],
      credentialsMapped: hasRow(db, REG_LISTS, sid),
      users: mappedUsers(db, REG_LISTS, sid),
    };
    return {
      kind: 'domain',
      sid,
      accountSid: d.account_sid,
      accountStatus: effectiveStatus(db, d.account_sid),
      host: d.domain_name.toLowerCase(),
      calls,
      registrations: { enabled: d.sip_registration === 1, rules: registrations },
      targets: forwardTargets(d.voice_url),
      version: viewVersion(db, sid),
    };
  },
};
