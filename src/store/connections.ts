// Telnyx-style credential connections: records and the repository interface src/api depends on.
// The password never reaches the store: only its HA1s for EDGE_REALM. Times are epoch ms (UTC).
import type { Ha1Set } from '../auth/ha1.ts';

/** A JSON value as kept in a connection's free-form settings. */
export type SettingValue = string | number | boolean | null | Array<string | number | boolean>;
/** One nested settings object (inbound, outbound, rtcp_settings), flat. */
export type SettingsObject = Record<string, SettingValue>;

/** Everything about a connection besides identity, name, user, password and the SIP target. */
export interface ConnectionSettings {
  /** Top-level Telnyx fields we keep and return (anchorsite_override, dtmf_type, tags, ...). */
  top: Record<string, SettingValue>;
  inbound: SettingsObject;
  outbound: SettingsObject;
  rtcp_settings: SettingsObject;
}

export interface ConnectionFields {
  connectionName: string;
  userName: string;
  active: boolean;
  /** sip_target extension: where accepted calls go (SIP URI), or null. */
  sipTarget: string | null;
  settings: ConnectionSettings;
}

export interface ConnectionRecord extends ConnectionFields {
  id: string;
  accountSid: string;
  createdAt: number;
  updatedAt: number;
}

export interface ConnectionPatch {
  connectionName?: string;
  /** A new user_name requires new HA1s (they hash the user name). */
  userName?: string;
  ha1?: Ha1Set;
  active?: boolean;
  sipTarget?: string | null;
  settings?: ConnectionSettings;
}

export interface ConnectionListFilter {
  nameContains: string | null;
  outboundVoiceProfileId: string | null;
  sort: { field: 'created_at' | 'connection_name' | 'active'; descending: boolean };
  /** 0-based row offset and row count. */
  offset: number;
  limit: number;
}

export interface ConnectionRepository {
  /** Bearer auth: the account whose auth token hashes (SHA-256) to `tokenHash`, or null. */
  accountSidForTokenHash(tokenHash: Buffer): Promise<string | null>;
  get(accountSid: string, id: string): Promise<ConnectionRecord | null>;
  /** The page of rows and the total number of rows matching the filter. */
  list(accountSid: string, filter: ConnectionListFilter): Promise<{ rows: ConnectionRecord[]; total: number }>;
  /** Throws StoreError 'duplicate' ('user_name') or 'limit' ('credential_connections'). */
  create(accountSid: string, fields: ConnectionFields, ha1: Ha1Set): Promise<ConnectionRecord>;
  /** null when absent in this account. Throws StoreError 'duplicate' ('user_name'). */
  update(accountSid: string, id: string, patch: ConnectionPatch): Promise<ConnectionRecord | null>;
  /** The deleted record, or null when absent in this account. */
  delete(accountSid: string, id: string): Promise<ConnectionRecord | null>;
}
