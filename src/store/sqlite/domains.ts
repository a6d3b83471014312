import type { DomainFields, DomainRecord, DomainRepository } from '../types.ts';
import type { SqliteContext } from './context.ts';
import { newSid } from '../sid.ts';
import { pageRows } from './paging.ts';
import { insertColumns } from './insert-columns.ts';
import { updateColumns } from './update-columns.ts';

const COLUMNS: Record<keyof DomainFields, string> = {
  domainName: 'domain_name',
  friendlyName: 'friendly_name',
  voiceUrl: 'voice_url',
  voiceMethod: 'voice_method',
  voiceFallbackUrl: 'voice_fallback_url',
  voiceFallbackMethod: 'voice_fallback_method',
  voiceStatusCallbackUrl: 'voice_status_callback_url',
  voiceStatusCallbackMethod: 'voice_status_callback_method',
  sipRegistration: 'sip_registration',
  emergencyCallingEnabled: 'emergency_calling_enabled',
  secure: 'secure',
  byocTrunkSid: 'byoc_trunk_sid',
  emergencyCallerSid: 'emergency_caller_sid',
};
const BOOLEAN_FIELDS = new Set<keyof DomainFields>(['sipRegistration', 'emergencyCallingEnabled', 'secure']);

// auth_type as Twilio derives it from the calls mappings.
const SELECT = `SELECT d.*, d.rowid AS _rowid,
  (EXISTS (SELECT 1 FROM domain_ip_acl_mappings m WHERE m.domain_sid = d.sid)) AS has_acl,
  (EXISTS (SELECT 1 FROM domain_credential_list_mappings m WHERE m.domain_sid = d.sid AND m.purpose = 'calls')) AS has_cl
  FROM domains d`;

function authType(hasAcl: boolean, hasCl: boolean): string {
  return [hasAcl ? 'IP_ACL' : '', hasCl ? 'CREDENTIAL_LIST' : ''].filter(Boolean).join(',');
}

function toDomain(r: Record<string, unknown>): DomainRecord {
  return {
    sid: r.sid as string,
    accountSid: r.account_sid as string,
    domainName: r.domain_name as string,
    friendlyName: (r.friendly_name as string | null) ?? null,
    voiceUrl: (r.voice_url as string | null) ?? null,
    voiceMethod: r.voice_method as 'GET' | 'POST',
    voiceFallbackUrl: (r.voice_fallback_url as string | null) ?? null,
    voiceFallbackMethod: r.voice_fallback_method as 'GET' | 'POST',
    voiceStatusCallbackUrl: (r.voice_status_callback_url as string | null) ?? null,
    voiceStatusCallbackMethod: r.voice_status_callback_method as 'GET' | 'POST',
    sipRegistration: r.sip_registration === 1,
    emergencyCallingEnabled: r.emergency_calling_enabled === 1,
    secure: r.secure === 1,
    byocTrunkSid: (r.byoc_trunk_sid as string | null) ?? null,
    emergencyCallerSid: (r.emergency_caller_sid as string | null) ?? null,
    authType: authType(r.has_acl === 1, r.has_cl === 1),
    dateCreated: r.date_created as number,
    dateUpdated: r.date_updated as number,
  };
}

function sqlValue(key: keyof DomainFields, value: unknown): string | number | null {
  if (BOOLEAN_FIELDS.has(key)) return value ? 1 : 0;
  return (value as string | null) ?? null;
}

export function sqliteDomains(ctx: SqliteContext): DomainRepository {
  const { db } = ctx;
  const get = (accountSid: string, sid: string) => {
    const r = db.prepare(`${SELECT} WHERE d.sid = ? AND d.account_sid = ?`).get(sid, accountSid) as Record<string, unknown> | undefined;
    return r ? toDomain(r) : null;
  };
  return {
    async get(accountSid, sid) {
      return get(accountSid, sid);
    },
    async list(accountSid, page) {
      return pageRows(db, { table: 'domains', alias: 'd', sidColumn: 'sid', where: 'd.account_sid = ?', params: [accountSid], select: SELECT }, page, toDomain);
    },
    async create(accountSid, fields) {
      const sid = newSid('SD');
      const now = ctx.now();
      ctx.write((affected) => {
        insertColumns(db, 'domains', { sid, account_sid: accountSid }, COLUMNS, fields, sqlValue, now);
        affected.targets.add(sid);
      });
      return get(accountSid, sid)!;
    },
    async update(accountSid, sid, patch) {
      return ctx.write((affected) => {
        const cur = get(accountSid, sid);
        if (!cur) return null;
        updateColumns(db, 'domains', COLUMNS, patch, sqlValue, ctx.now(), sid);
        if (patch.domainName !== undefined && patch.domainName.toLowerCase() !== cur.domainName.toLowerCase()) {
          affected.deletedHosts.push(cur.domainName.toLowerCase());
        }
        affected.targets.add(sid);
        return get(accountSid, sid);
      });
    },
    async delete(accountSid, sid) {
      return ctx.write((affected) => {
        const cur = get(accountSid, sid);
        if (!cur) return false;
        db.prepare('DELETE FROM domains WHERE sid = ?').run(sid);
        affected.deletedHosts.push(cur.domainName.toLowerCase());
        return true;
      });
    },
  };
}
