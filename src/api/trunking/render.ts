// Store records → Trunking v1 JSON resources (field names from the OpenAPI extract), with absolute
// URLs under `base` (PUBLIC_URL or the request's origin).
import type { OriginationUrlRecord, TrunkListRecord, TrunkRecord, TrunkRecording } from '../../store/trunks.ts';
import { isoDate } from './v1-page.ts';

export function trunksUrl(base: string): string {
  return `${base}/v1/Trunks`;
}

export function trunkUrl(base: string, sid: string): string {
  return `${base}/v1/Trunks/${sid}`;
}

export function renderTrunk(base: string, t: TrunkRecord): Record<string, unknown> {
  const url = trunkUrl(base, t.sid);
  return {
    sid: t.sid,
    account_sid: t.accountSid,
    domain_name: t.domainName,
    disaster_recovery_method: t.disasterRecoveryMethod,
    disaster_recovery_url: t.disasterRecoveryUrl,
    friendly_name: t.friendlyName,
    secure: t.secure,
    recording: renderRecording(t.recording),
    transfer_mode: t.transferMode,
    transfer_caller_id: t.transferCallerId,
    cnam_lookup_enabled: t.cnamLookupEnabled,
    auth_type: t.authTypeSet.join(','),
    symmetric_rtp_enabled: t.symmetricRtpEnabled,
    auth_type_set: t.authTypeSet,
    date_created: isoDate(t.dateCreated),
    date_updated: isoDate(t.dateUpdated),
    url,
    links: {
      origination_urls: `${url}/OriginationUrls`,
      credential_lists: `${url}/CredentialLists`,
      ip_access_control_lists: `${url}/IpAccessControlLists`,
      phone_numbers: `${url}/PhoneNumbers`,
    },
  };
}

export function renderRecording(r: TrunkRecording): Record<string, unknown> {
  return { mode: r.mode, trim: r.trim };
}

export function renderOriginationUrl(base: string, o: OriginationUrlRecord): Record<string, unknown> {
  return {
    account_sid: o.accountSid,
    sid: o.sid,
    trunk_sid: o.trunkSid,
    weight: o.weight,
    enabled: o.enabled,
    sip_url: o.sipUrl,
    friendly_name: o.friendlyName,
    priority: o.priority,
    date_created: isoDate(o.dateCreated),
    date_updated: isoDate(o.dateUpdated),
    url: `${trunkUrl(base, o.trunkSid)}/OriginationUrls/${o.sid}`,
  };
}

/** A credential list or IP ACL associated with a trunk; `collection` is its URL segment. */
export function renderTrunkList(base: string, collection: string, l: TrunkListRecord): Record<string, unknown> {
  return {
    account_sid: l.accountSid,
    sid: l.sid,
    trunk_sid: l.trunkSid,
    friendly_name: l.friendlyName,
    date_created: isoDate(l.dateCreated),
    date_updated: isoDate(l.dateUpdated),
    url: `${trunkUrl(base, l.trunkSid)}/${collection}/${l.sid}`,
  };
}
