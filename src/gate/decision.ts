// What the gate decides for a new out-of-dialog request (SPEC §4 steps 3-5). Plain data: the
// caller turns it into a response (src/sip buildResponse) or hands an accepted request to the proxy.
import type { CompiledView } from './view.ts';

/** Low-cardinality reasons for edge_auth_decisions_total{outcome,reason}. Never per user or IP. */
export type GateReason =
  | 'invalid_request'
  | 'unsupported_scheme'
  | 'too_many_hops'
  | 'bad_extension'
  | 'edge_options'
  | 'not_gated'
  | 'unknown_target'
  | 'account_inactive'
  | 'registration_not_allowed'
  | 'nothing_mapped'
  | 'acl_denied'
  | 'no_credentials'
  | 'bad_credentials'
  | 'stale_nonce'
  | 'invalid_nonce'
  | 'replayed_nonce'
  | 'auth_failed'
  | 'view_unavailable'
  | 'replay_guard_unavailable'
  | 'ip'
  | 'digest';

/** Answer with this final response; `headers` include the Warning (and Unsupported for 420). */
export interface GateReject {
  outcome: 'reject';
  status: number;
  reason: string;
  headers: Array<[string, string]>;
  metricsReason: GateReason;
}

export interface GateChallenge {
  outcome: 'challenge';
  status: 401 | 407;
  headerName: 'WWW-Authenticate' | 'Proxy-Authenticate';
  /** One value per configured algorithm, in preference order. */
  headerValues: string[];
  stale: boolean;
  metricsReason: GateReason;
}

export type Principal = { kind: 'ip' } | { kind: 'digest'; user: string };

export interface GateAccept {
  outcome: 'accept';
  target: CompiledView;
  principal: Principal;
  /** The header carrying the consumed credentials (to remove before forwarding), if any. */
  consumedCredentials: 'Authorization' | 'Proxy-Authorization' | null;
  metricsReason: 'ip' | 'digest';
}

/** Answered by the edge itself: 200 to an OPTIONS addressed to the edge (never challenged). */
export interface GateReply {
  outcome: 'reply';
  status: 200;
  reason: 'OK';
  headers: Array<[string, string]>;
  metricsReason: 'edge_options';
}

/** ACK and CANCEL: never challenged; the transaction layer matches them. */
export interface GatePass {
  outcome: 'pass';
  metricsReason: 'not_gated';
}

export type GateDecision = GateReject | GateChallenge | GateAccept | GateReply | GatePass;
