// Store records → v2010 JSON resources (field names from the OpenAPI extract). Nothing secret is
// ever rendered: credential records carry no HA1, and an auth token is shown only once, at creation.
import type {
  AccountRecord,
  CredentialListRecord,
  CredentialRecord,
  DomainRecord,
  IpAclRecord,
  IpAddressRecord,
  MappingRecord,
} from '../../store/types.ts';
import { rfc2822 } from '../dates.ts';
import * as u from './uris.ts';

export function renderAccount(a: AccountRecord, authToken: string | null = null): Record<string, unknown> {
  const sip = u.sipBase(a.sid);
  return {
    auth_token: authToken,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    friendly_name: a.friendlyName,
    owner_account_sid: a.ownerSid ?? a.sid,
    sid: a.sid,
    status: a.status,
    subresource_uris: {
      sip_domains: `${sip}/Domains.json`,
      sip_credential_lists: `${sip}/CredentialLists.json`,
      sip_ip_access_control_lists: `${sip}/IpAccessControlLists.json`,
    },
    type: a.type,
    uri: u.accountUri(a.sid),
  };
}

export function renderDomain(d: DomainRecord): Record<string, unknown> {
  const base = u.domainPath(d.accountSid, d.sid);
  return {
    account_sid: d.accountSid,
    api_version: '2010-04-01',
    auth_type: d.authType,
    date_created: rfc2822(d.dateCreated),
    date_updated: rfc2822(d.dateUpdated),
    domain_name: d.domainName,
    friendly_name: d.friendlyName,
    sid: d.sid,
    uri: u.domainUri(d.accountSid, d.sid),
    voice_fallback_method: d.voiceFallbackMethod,
    voice_fallback_url: d.voiceFallbackUrl,
    voice_method: d.voiceMethod,
    voice_status_callback_method: d.voiceStatusCallbackMethod,
    voice_status_callback_url: d.voiceStatusCallbackUrl,
    voice_url: d.voiceUrl,
    subresource_uris: {
      ip_access_control_list_mappings: `${base}/IpAccessControlListMappings.json`,
      credential_list_mappings: `${base}/CredentialListMappings.json`,
    },
    sip_registration: d.sipRegistration,
    emergency_calling_enabled: d.emergencyCallingEnabled,
    secure: d.secure,
    byoc_trunk_sid: d.byocTrunkSid,
    emergency_caller_sid: d.emergencyCallerSid,
  };
}

export function renderCredentialList(l: CredentialListRecord): Record<string, unknown> {
  return {
    account_sid: l.accountSid,
    date_created: rfc2822(l.dateCreated),
    date_updated: rfc2822(l.dateUpdated),
    friendly_name: l.friendlyName,
    sid: l.sid,
    subresource_uris: { credentials: u.credentialsUri(l.accountSid, l.sid) },
    uri: u.credentialListUri(l.accountSid, l.sid),
  };
}

export function renderCredential(c: CredentialRecord): Record<string, unknown> {
  return {
    sid: c.sid,
    account_sid: c.accountSid,
    credential_list_sid: c.credentialListSid,
    username: c.username,
    date_created: rfc2822(c.dateCreated),
    date_updated: rfc2822(c.dateUpdated),
    uri: u.credentialUri(c.accountSid, c.credentialListSid, c.sid),
  };
}

export function renderIpAcl(l: IpAclRecord): Record<string, unknown> {
  return {
    sid: l.sid,
    account_sid: l.accountSid,
    friendly_name: l.friendlyName,
    date_created: rfc2822(l.dateCreated),
    date_updated: rfc2822(l.dateUpdated),
    subresource_uris: { ip_addresses: u.ipAddressesUri(l.accountSid, l.sid) },
    uri: u.ipAclUri(l.accountSid, l.sid),
  };
}

export function renderIpAddress(a: IpAddressRecord): Record<string, unknown> {
  return {
    sid: a.sid,
    account_sid: a.accountSid,
    friendly_name: a.friendlyName,
    ip_address: a.ipAddress,
    cidr_prefix_length: a.cidrPrefixLength,
    ip_access_control_list_sid: a.ipAccessControlListSid,
    date_created: rfc2822(a.dateCreated),
    date_updated: rfc2822(a.dateUpdated),
    uri: u.ipAddressUri(a.accountSid, a.ipAccessControlListSid, a.sid),
  };
}

/** Auth/Calls and Auth/Registrations mappings: the extract gives them no uri and no domain_sid. */
export function renderAuthMapping(m: MappingRecord): Record<string, unknown> {
  return {
    account_sid: m.accountSid,
    date_created: rfc2822(m.dateCreated),
    date_updated: rfc2822(m.dateUpdated),
    friendly_name: m.friendlyName,
    sid: m.sid,
  };
}

/** Legacy Domain/{CredentialList,IpAccessControlList}Mappings. */
export function renderLegacyMapping(m: MappingRecord, collection: string): Record<string, unknown> {
  return {
    ...renderAuthMapping(m),
    domain_sid: m.domainSid,
    uri: `${u.domainPath(m.accountSid, m.domainSid)}/${collection}/${m.sid}.json`,
  };
}
