// Domain errors raised by repositories; the API maps each kind to Twilio's code and status.
export type StoreErrorKind =
  | 'not_found' // a referenced row is absent in the caller's account
  | 'duplicate' // a unique name is taken (domain_name across all accounts, username in a list, mapping)
  | 'limit' // a per-account or per-list limit is reached
  | 'in_use'; // the row is still referenced (a mapped list)

export class StoreError extends Error {
  readonly kind: StoreErrorKind;
  /** What the error is about, e.g. 'domains', 'credentials', 'domain_name', 'credential_list'. */
  readonly subject: string;
  constructor(kind: StoreErrorKind, subject: string) {
    super(`${kind}: ${subject}`);
    this.name = 'StoreError';
    this.kind = kind;
    this.subject = subject;
  }
}
