// Compiles a credential connection into the ConnectionView the gate uses for requests addressed
// to EDGE_CONNECTIONS_HOST. Connection IDs are Telnyx-style decimal strings without a letter
// prefix, so this compiler's prefix is '' and it must stay the last entry of TARGET_COMPILERS.
import type { ConnectionView } from '../gate/view.ts';
import type { TargetCompiler } from './sqlite/target-compilers.ts';
import { effectiveStatus, viewVersion } from './sqlite/view-parts.ts';

interface Row {
  account_sid: string;
  user_name: string;
  active: number;
  ha1_md5: string;
  ha1_sha256: string;
  ha1_sha512_256: string;
  sip_target: string | null;
  channel_limit: number | null;
}

function ids(rows: unknown[]): string[] {
  return (rows as { id: string }[]).map((r) => r.id);
}

export const connectionsCompiler: TargetCompiler = {
  sidPrefix: '',
  targetsUsingList() {
    return [];
  },
  targetsOfAccount(db, accountSid) {
    return ids(db.prepare('SELECT id FROM credential_connections WHERE account_sid = ?').all(accountSid));
  },
  allTargets(db) {
    return ids(db.prepare('SELECT id FROM credential_connections ORDER BY rowid').all());
  },
  compile(db, id): ConnectionView | null {
    const r = db
      .prepare('SELECT account_sid, user_name, active, ha1_md5, ha1_sha256, ha1_sha512_256, sip_target, channel_limit FROM credential_connections WHERE id = ?')
      .get(id) as Row | undefined;
    if (!r) return null;
    return {
      kind: 'connection',
      sid: id,
      accountSid: r.account_sid,
      accountStatus: effectiveStatus(db, r.account_sid),
      username: r.user_name.toLowerCase(),
      usernameExact: r.user_name,
      ha1: { md5: r.ha1_md5, sha256: r.ha1_sha256, sha512_256: r.ha1_sha512_256 },
      active: r.active === 1,
      sipTarget: r.sip_target,
      channelLimit: r.channel_limit,
      version: viewVersion(db, id),
    };
  },
};
