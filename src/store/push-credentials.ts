// Conversations v1 push credentials (APNs, GCM, FCM): records and the repository interface.
// Secrets go in as plaintext and are sealed by the repository; records never carry them.
import type { PageRequest, PageResult } from './types.ts';

export type PushType = 'apn' | 'gcm' | 'fcm';

export interface PushSecrets {
  certificate?: string;
  privateKey?: string;
  apiKey?: string;
  secret?: string;
}

export const PUSH_SECRET_FIELDS = ['certificate', 'privateKey', 'apiKey', 'secret'] as const;

export interface PushCredentialRecord {
  sid: string;
  accountSid: string;
  friendlyName: string | null;
  type: PushType;
  sandbox: boolean;
  /** Which secrets are set (never their values). */
  secretsSet: Array<keyof PushSecrets>;
  dateCreated: number;
  dateUpdated: number;
}

export interface PushCredentialFields {
  friendlyName: string | null;
  type: PushType;
  sandbox: boolean;
}

export interface PushCredentialRepository {
  get(accountSid: string, sid: string): Promise<PushCredentialRecord | null>;
  list(accountSid: string, page: PageRequest): Promise<PageResult<PushCredentialRecord>>;
  /** Throws SecretKeyError when secrets are given and no key is configured; StoreError 'limit'. */
  create(accountSid: string, fields: PushCredentialFields, secrets: PushSecrets): Promise<PushCredentialRecord>;
  /** Secrets given replace the stored ones; absent ones are kept. */
  update(accountSid: string, sid: string, patch: Partial<PushCredentialFields>, secrets: PushSecrets): Promise<PushCredentialRecord | null>;
  delete(accountSid: string, sid: string): Promise<boolean>;
  /** Decrypted secrets, for the component that sends pushes. Throws SecretKeyError without a key. */
  openSecrets(accountSid: string, sid: string): Promise<PushSecrets | null>;
}
