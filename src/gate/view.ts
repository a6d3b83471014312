// Compiled views: what the SIP hot path knows about a target, produced by src/store after every
// committed change (SPEC §6) and consumed by src/gate. Plain JSON-serialisable data, so the same
// object can travel through Redis. Nothing here is a secret in clear: HA1s only.

export type AccountStatus = 'active' | 'suspended' | 'closed';

/** One IP ACL entry, normalised: address in canonical text form, prefix length in bits. */
export interface AclPrefix {
  /** IPv4 dotted quad or IPv6 (canonical lowercase, compressed). */
  address: string;
  /** 0..32 for IPv4, 0..128 for IPv6. */
  prefixLength: number;
}

/** HA1 = H(username:realm:password) for EDGE_REALM, lowercase hex, one per algorithm. */
export interface UserHa1 {
  md5: string;
  sha256: string;
  sha512_256: string;
}

/** A forwarding destination: a SIP URI with ordering. Domains have at most one (voice_url). */
export interface ForwardTarget {
  uri: string;
  priority: number;
  weight: number;
}

/** Authentication requirements for one purpose (calls or registrations). */
export interface AuthRules {
  /** At least one IP ACL is mapped (an empty mapped ACL admits nobody). */
  aclMapped: boolean;
  /** Union of the prefixes of every mapped ACL. */
  acl: AclPrefix[];
  /** At least one credential list is mapped. */
  credentialsMapped: boolean;
  /** username (exactly as provisioned) → HA1s, over every mapped credential list. */
  users: Record<string, UserHa1>;
}

/** A SIP domain (SD…) or an Elastic SIP trunk (TK…), addressed by its domain_name. */
export interface TargetView {
  kind: 'domain' | 'trunk';
  sid: string;
  accountSid: string;
  accountStatus: AccountStatus;
  /** domain_name, lowercase. */
  host: string;
  calls: AuthRules;
  /** Domains only: REGISTER handling. null for trunks. */
  registrations: { enabled: boolean; rules: AuthRules } | null;
  /** Domain: its voice_url when sip:/sips: (else empty). Trunk: enabled origination URLs. */
  targets: ForwardTarget[];
  /** Monotonic per target; lets caches discard stale copies. */
  version: number;
}

/** A Telnyx-style credential connection, addressed by EDGE_CONNECTIONS_HOST + digest username. */
export interface ConnectionView {
  kind: 'connection';
  sid: string;
  accountSid: string;
  accountStatus: AccountStatus;
  /** user_name, lowercase (unique across the service, case-insensitive). */
  username: string;
  /** user_name as provisioned (the digest username must match it). */
  usernameExact: string;
  ha1: UserHa1;
  active: boolean;
  /** sip_target extension field, a SIP URI, or null when unset. */
  sipTarget: string | null;
  /** outbound.channel_limit, or null for no limit. */
  channelLimit: number | null;
  version: number;
}

export type CompiledView = TargetView | ConnectionView;
