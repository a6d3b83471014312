// Records and repository interfaces of the system of record. src/api depends on these interfaces
// only, never on SQLite, so another SQL backend can implement them. Every method is async for that
// reason even though node:sqlite is synchronous. Times are epoch milliseconds (UTC).
import type { AccountStatus, CompiledView } from '../gate/view.ts';
import type { Ha1Set } from '../auth/ha1.ts';
import type { TrunkRepository } from './trunks.ts';
import type { PushCredentialRepository } from './push-credentials.ts';
import type { ConnectionRepository } from './connections.ts';

export interface AccountRecord {
  sid: string;
  ownerSid: string | null;
  friendlyName: string;
  status: AccountStatus;
  type: 'Trial' | 'Full';
  dateCreated: number;
  dateUpdated: number;
}

export interface DomainFields {
  domainName: string;
  friendlyName: string | null;
  voiceUrl: string | null;
  voiceMethod: 'GET' | 'POST';
  voiceFallbackUrl: string | null;
  voiceFallbackMethod: 'GET' | 'POST';
  voiceStatusCallbackUrl: string | null;
  voiceStatusCallbackMethod: 'GET' | 'POST';
  sipRegistration: boolean;
  emergencyCallingEnabled: boolean;
  secure: boolean;
  byocTrunkSid: string | null;
  emergencyCallerSid: string | null;
}

export interface DomainRecord extends DomainFields {
  sid: string;
  accountSid: string;
  /** Derived from the calls mappings: 'IP_ACL', 'CREDENTIAL_LIST', both comma-joined, or ''. */
  authType: string;
  dateCreated: number;
  dateUpdated: number;
}

export interface CredentialListRecord {
  sid: string;
  accountSid: string;
  friendlyName: string;
  dateCreated: number;
  dateUpdated: number;
}

/** A credential as the API shows it: the HA1s never leave the store except through compiled views. */
export interface CredentialRecord {
  sid: string;
  accountSid: string;
  credentialListSid: string;
  username: string;
  dateCreated: number;
  dateUpdated: number;
}

export interface IpAclRecord {
  sid: string;
  accountSid: string;
  friendlyName: string;
  dateCreated: number;
  dateUpdated: number;
}

export interface IpAddressRecord {
  sid: string;
  accountSid: string;
  ipAccessControlListSid: string;
  friendlyName: string;
  ipAddress: string;
  cidrPrefixLength: number;
  dateCreated: number;
  dateUpdated: number;
}

/** A list mapped to a domain. `sid` is the mapped list's SID (that is how Twilio names mappings). */
export interface MappingRecord {
  sid: string;
  accountSid: string;
  domainSid: string;
  friendlyName: string;
  dateCreated: number;
  dateUpdated: number;
}

export type MappingPurpose = 'calls' | 'registrations';
export type MappedListKind = 'credential_list' | 'ip_acl';

/** Keyset page request: rows after `afterSid` (creation order), or from `offset` when no token. */
export interface PageRequest {
  limit: number;
  afterSid?: string;
  offset?: number;
}

/** `rows` holds at most limit rows; `hasMore` says whether another page follows. */
export interface PageResult<T> {
  rows: T[];
  hasMore: boolean;
}

export interface AccountRepository {
  get(sid: string): Promise<AccountRecord | null>;
  /** SHA-256 of the auth token (32 bytes), for the caller to compare in constant time. */
  getTokenHash(sid: string): Promise<Buffer | null>;
  create(input: { sid?: string; ownerSid: string | null; friendlyName: string; tokenHash: Buffer }): Promise<AccountRecord>;
  update(sid: string, patch: { friendlyName?: string; status?: AccountStatus }): Promise<AccountRecord | null>;
  setTokenHash(sid: string, tokenHash: Buffer): Promise<void>;
  /** The account itself and its subaccounts (owner = sid), optionally filtered. */
  listVisible(sid: string, filter: { friendlyName?: string; status?: AccountStatus }, page: PageRequest): Promise<PageResult<AccountRecord>>;
  /** The first main account (no owner) ever created, if any. */
  firstMain(): Promise<AccountRecord | null>;
}

export interface DomainRepository {
  get(accountSid: string, sid: string): Promise<DomainRecord | null>;
  list(accountSid: string, page: PageRequest): Promise<PageResult<DomainRecord>>;
  create(accountSid: string, fields: DomainFields): Promise<DomainRecord>;
  update(accountSid: string, sid: string, patch: Partial<DomainFields>): Promise<DomainRecord | null>;
  /** Removes the domain and its mappings. false when absent. */
  delete(accountSid: string, sid: string): Promise<boolean>;
}

export interface CredentialListRepository {
  get(accountSid: string, sid: string): Promise<CredentialListRecord | null>;
  list(accountSid: string, page: PageRequest): Promise<PageResult<CredentialListRecord>>;
  create(accountSid: string, friendlyName: string): Promise<CredentialListRecord>;
  update(accountSid: string, sid: string, friendlyName: string): Promise<CredentialListRecord | null>;
  /** Throws StoreError 'in_use' when mapped anywhere; false when absent. Removes its credentials. */
  delete(accountSid: string, sid: string): Promise<boolean>;
  getCredential(accountSid: string, listSid: string, sid: string): Promise<CredentialRecord | null>;
  listCredentials(accountSid: string, listSid: string, page: PageRequest): Promise<PageResult<CredentialRecord>>;
  createCredential(accountSid: string, listSid: string, username: string, ha1: Ha1Set): Promise<CredentialRecord>;
  updateCredential(accountSid: string, listSid: string, sid: string, ha1: Ha1Set | null): Promise<CredentialRecord | null>;
  deleteCredential(accountSid: string, listSid: string, sid: string): Promise<boolean>;
}

export interface IpAclRepository {
  get(accountSid: string, sid: string): Promise<IpAclRecord | null>;
  list(accountSid: string, page: PageRequest): Promise<PageResult<IpAclRecord>>;
  create(accountSid: string, friendlyName: string): Promise<IpAclRecord>;
  update(accountSid: string, sid: string, friendlyName: string): Promise<IpAclRecord | null>;
  /** Throws StoreError 'in_use' when mapped anywhere; false when absent. Removes its addresses. */
  delete(accountSid: string, sid: string): Promise<boolean>;
  getAddress(accountSid: string, aclSid: string, sid: string): Promise<IpAddressRecord | null>;
  listAddresses(accountSid: string, aclSid: string, page: PageRequest): Promise<PageResult<IpAddressRecord>>;
  createAddress(accountSid: string, aclSid: string, input: { friendlyName: string; ipAddress: string; cidrPrefixLength: number }): Promise<IpAddressRecord>;
  updateAddress(accountSid: string, aclSid: string, sid: string, patch: { friendlyName?: string; ipAddress?: string; cidrPrefixLength?: number }): Promise<IpAddressRecord | null>;
  deleteAddress(accountSid: string, aclSid: string, sid: string): Promise<boolean>;
}

/** Domain → list mappings. IP ACLs map for calls only. Legacy and Auth/Calls mappings are one store. */
export interface DomainMappingRepository {
  get(accountSid: string, domainSid: string, kind: MappedListKind, purpose: MappingPurpose, listSid: string): Promise<MappingRecord | null>;
  list(accountSid: string, domainSid: string, kind: MappedListKind, purpose: MappingPurpose, page: PageRequest): Promise<PageResult<MappingRecord>>;
  /** Throws StoreError 'not_found' (domain or list absent in this account) or 'duplicate'. */
  create(accountSid: string, domainSid: string, kind: MappedListKind, purpose: MappingPurpose, listSid: string): Promise<MappingRecord>;
  delete(accountSid: string, domainSid: string, kind: MappedListKind, purpose: MappingPurpose, listSid: string): Promise<boolean>;
}

export interface ViewChange {
  upserts: CompiledView[];
  /** Hosts (lowercase domain names) whose target no longer exists. */
  deletes: string[];
}

export type ViewListener = (change: ViewChange) => void;

export interface Store {
  accounts: AccountRepository;
  domains: DomainRepository;
  credentialLists: CredentialListRepository;
  ipAcls: IpAclRepository;
  mappings: DomainMappingRepository;
  /** Elastic SIP trunks (Trunking v1) with origination URLs and list associations. */
  trunks: TrunkRepository;
  /** Conversations v1 push credentials (secrets sealed with EDGE_SECRET_KEY). */
  pushCredentials: PushCredentialRepository;
  /** Telnyx-style credential connections. */
  connections: ConnectionRepository;
  /** Subscribes to compiled views of every target affected by each committed change. */
  onViewsChanged(listener: ViewListener): () => void;
  /** Every view, compiled from SQL in one call (cache warm-up and rebuild). */
  rebuildAllViews(): Promise<CompiledView[]>;
  /** Cheap liveness probe of the database. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}
