// Elastic SIP trunks (Trunking v1): records and the repository interface src/api depends on.
// Times are epoch milliseconds (UTC).
import type { PageRequest, PageResult } from './types.ts';

export type TransferMode = 'disable-all' | 'enable-all' | 'sip-only';
export type TransferCallerId = 'from-transferee' | 'from-transferor';
export type RecordingMode = 'do-not-record' | 'record-from-ringing' | 'record-from-answer' | 'record-from-ringing-dual' | 'record-from-answer-dual';
export type RecordingTrim = 'trim-silence' | 'do-not-trim';

export interface TrunkFields {
  domainName: string | null;
  friendlyName: string | null;
  disasterRecoveryUrl: string | null;
  disasterRecoveryMethod: 'GET' | 'POST' | null;
  transferMode: TransferMode;
  transferCallerId: TransferCallerId;
  secure: boolean;
  cnamLookupEnabled: boolean;
  symmetricRtpEnabled: boolean;
}

export interface TrunkRecording {
  mode: RecordingMode;
  trim: RecordingTrim;
}

export interface TrunkRecord extends TrunkFields {
  sid: string;
  accountSid: string;
  recording: TrunkRecording;
  /** Derived from the associations, as Twilio does: 'IP_ACL', 'CREDENTIAL_LIST'. */
  authTypeSet: string[];
  dateCreated: number;
  dateUpdated: number;
}

export interface OriginationUrlFields {
  friendlyName: string;
  sipUrl: string;
  weight: number;
  priority: number;
  enabled: boolean;
}

export interface OriginationUrlRecord extends OriginationUrlFields {
  sid: string;
  accountSid: string;
  trunkSid: string;
  dateCreated: number;
  dateUpdated: number;
}

export type TrunkListKind = 'credential_list' | 'ip_acl';

/** A list associated with a trunk. `sid` is the list's SID, as Twilio names these resources. */
export interface TrunkListRecord {
  sid: string;
  accountSid: string;
  trunkSid: string;
  friendlyName: string;
  dateCreated: number;
  dateUpdated: number;
}

export interface TrunkRepository {
  get(accountSid: string, sid: string): Promise<TrunkRecord | null>;
  list(accountSid: string, page: PageRequest): Promise<PageResult<TrunkRecord>>;
  /** Throws StoreError 'limit' ('trunks') or 'duplicate' ('domain_name'). */
  create(accountSid: string, fields: TrunkFields): Promise<TrunkRecord>;
  update(accountSid: string, sid: string, patch: Partial<TrunkFields>): Promise<TrunkRecord | null>;
  /** Removes the trunk, its origination URLs and its list associations. false when absent. */
  delete(accountSid: string, sid: string): Promise<boolean>;
  setRecording(accountSid: string, sid: string, patch: Partial<TrunkRecording>): Promise<TrunkRecording | null>;

  getOriginationUrl(accountSid: string, trunkSid: string, sid: string): Promise<OriginationUrlRecord | null>;
  /** Throws StoreError 'not_found' ('trunk') when the trunk is absent in this account. */
  listOriginationUrls(accountSid: string, trunkSid: string, page: PageRequest): Promise<PageResult<OriginationUrlRecord>>;
  /** Throws StoreError 'not_found' ('trunk') or 'limit' ('origination_urls'). */
  createOriginationUrl(accountSid: string, trunkSid: string, fields: OriginationUrlFields): Promise<OriginationUrlRecord>;
  updateOriginationUrl(accountSid: string, trunkSid: string, sid: string, patch: Partial<OriginationUrlFields>): Promise<OriginationUrlRecord | null>;
  deleteOriginationUrl(accountSid: string, trunkSid: string, sid: string): Promise<boolean>;

  getList(accountSid: string, trunkSid: string, kind: TrunkListKind, listSid: string): Promise<TrunkListRecord | null>;
  /** Throws StoreError 'not_found' ('trunk'). */
  listLists(accountSid: string, trunkSid: string, kind: TrunkListKind, page: PageRequest): Promise<PageResult<TrunkListRecord>>;
  /** Throws StoreError 'not_found' ('trunk', or the list kind) or 'duplicate' ('trunk_list'). */
  addList(accountSid: string, trunkSid: string, kind: TrunkListKind, listSid: string): Promise<TrunkListRecord>;
  removeList(accountSid: string, trunkSid: string, kind: TrunkListKind, listSid: string): Promise<boolean>;
}
