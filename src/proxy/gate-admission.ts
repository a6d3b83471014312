// Maps the gate's decision onto the proxy's Admission: accepted domains and trunks forward to
// their targets, credential connections to their sip_target under a channel limit; challenges and
// rejections are answered through the proxy's server transaction.

import type { Gate, RequestSource } from '../gate/gate.ts';
import type { GateDecision } from '../gate/decision.ts';
import type { Admission, AdmitFn } from './types.ts';

export function admissionFromDecision(d: GateDecision): Admission {
  switch (d.outcome) {
    case 'reject':
      return { kind: 'reject', status: d.status, reason: d.reason, headers: d.headers };
    case 'challenge':
      return { kind: 'reject', status: d.status, headers: d.headerValues.map((v): [string, string] => [d.headerName, v]) };
    case 'reply':
      return { kind: 'reject', status: d.status, reason: d.reason, headers: d.headers };
    case 'pass':
      return { kind: 'drop' };
    case 'accept': {
      const t = d.target;
      const auth = d.principal.kind === 'ip' ? ({ method: 'ip' } as const) : ({ method: 'digest', user: d.principal.user } as const);
      if (t.kind === 'connection') {
        return {
          kind: 'accept',
          accountSid: t.accountSid,
          targetSid: t.sid,
          auth,
          targets: t.sipTarget === null ? [] : [{ uri: t.sipTarget, priority: 0, weight: 1 }],
          channel: { owner: t.sid, limit: t.channelLimit },
        };
      }
      return { kind: 'accept', accountSid: t.accountSid, targetSid: t.sid, auth, targets: t.targets };
    }
  }
}

/** The gate as the proxy's AdmitFn (synchronous whenever the gate decided synchronously). */
export function gateAdmit(gate: Gate, now: () => number = Date.now): AdmitFn {
  return (req, source) => {
    const src: RequestSource = { address: source.address, port: source.port, transport: source.transport };
    const d = gate.decide(req, src, now());
    return d instanceof Promise ? d.then(admissionFromDecision) : admissionFromDecision(d);
  };
}
