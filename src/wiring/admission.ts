// The proxy's admission step as the running edge does it: a banned source (or username) is turned
// away before any hashing, the gate decides, the decision is counted in metrics, and wrong
// credentials count towards a ban.

import { offeredCredentials } from '../gate/request-credentials.ts';
import type { BanAction } from '../config.ts';
import type { GateDecision } from '../gate/decision.ts';
import type { Gate } from '../gate/gate.ts';
import { sourceKey } from '../gate/rate-limit.ts';
import type { EdgeMetrics } from '../obs/metrics.ts';
import { admissionFromDecision } from '../proxy/gate-admission.ts';
import type { Admission, AdmitFn } from '../proxy/types.ts';
import type { SipRequest } from '../sip/message.ts';

/** The ban table as admission uses it (BanTable, or shareBans' view of it). */
export interface BanCheck {
  isBanned(ip: string, username: string | undefined, now: number): boolean;
  recordFailure(ip: string, username: string | undefined, now: number): unknown;
}

export interface AdmissionOptions {
  gate: Gate;
  bans: BanCheck;
  banAction: BanAction;
  metrics: EdgeMetrics;
  realm: string;
  /** Host named in the Warning of a ban's 403. */
  warningHost: string;
  /** True once shutdown started: new transactions get 503 while those in progress finish. */
  draining?: () => boolean;
  now?: () => number;
}

/** The digest username offered for our realm, if any (parsed once, shared with the gate; no hashing). */
export function offeredUsername(req: SipRequest, realm: string): string | undefined {
  const offered = offeredCredentials(req, realm);
  return offered.ok ? offered.credentials.username : undefined;
}

export function createAdmission(options: AdmissionOptions): AdmitFn {
  const { gate, bans, metrics, realm } = options;
  const now = options.now ?? Date.now;
  const banned: Admission =
    options.banAction === 'drop'
      ? { kind: 'drop' }
      : { kind: 'reject', status: 403, reason: 'Forbidden', headers: [['Warning', `399 ${options.warningHost} "banned"`]] };

  function settle(decision: GateDecision, source: string, username: string | undefined, started: number): Admission {
    const seconds = (performance.now() - started) / 1000;
    metrics.countAuthDecision(decision.outcome, decision.metricsReason, seconds);
    if (decision.metricsReason === 'replayed_nonce') metrics.replaysRejected.inc();
    if (decision.metricsReason === 'auth_failed') {
      bans.recordFailure(source, username, now());
    }
    return admissionFromDecision(decision);
  }

  const draining = options.draining ?? (() => false);
  const shuttingDown: Admission = {
    kind: 'reject',
    status: 503,
    reason: 'Service Unavailable',
    headers: [['Retry-After', '5'], ['Warning', `399 ${options.warningHost} "shutting down"`]],
  };

  return (req, peer) => {
    if (draining()) {
      metrics.countAuthDecision('reject', 'other');
      return shuttingDown;
    }
    const started = performance.now();
    const source = sourceKey(peer.address);
    const username = offeredUsername(req, realm);
    const t = now();
    if (bans.isBanned(source, username, t)) {
      metrics.countAuthDecision(options.banAction === 'drop' ? 'drop' : 'reject', 'banned');
      return banned;
    }
    const decided = gate.decide(req, peer, t);
    if (decided instanceof Promise) return decided.then((d) => settle(d, source, username, started));
    return settle(decided, source, username, started);
  };
}
